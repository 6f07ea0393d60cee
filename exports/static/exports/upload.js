// The upload page: each chosen or dropped file goes up in its own request, with its own
// progress bar, and the server's verdict on that file (HTML it renders) replaces the bar.
// A metadata.json among the files goes along with each article, as the importer reads it.
// Without this script the form posts every file at once and the page lists the same
// verdicts.
const form = document.querySelector("[data-upload]");
const METADATA = "metadata.json";

function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function setUp(form) {
  const input = form.querySelector("input[type=file]");
  const zone = form.querySelector("[data-dropzone]");
  const chosen = form.querySelector("[data-upload-chosen]");
  const button = form.querySelector("button[type=submit]");
  const results = document.querySelector("[data-upload-results]");
  const list = results.querySelector("[data-upload-list]");
  const status = results.querySelector("[data-upload-status]");
  const token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const maxBytes = Number(form.dataset.maxBytes);

  function describeChoice() {
    const names = [...input.files].map((file) => file.name);
    chosen.textContent = names.length ? `${plural(names.length, "file")} chosen: ${names.join(", ")}` : "";
  }

  function placeholder(file) {
    const item = element("li", "upload-result upload-pending");
    const head = element("p", "upload-head");
    head.append(element("span", "upload-name", file.name));
    const bar = element("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", `Upload of ${file.name}`);
    const state = element("p", "upload-summary", "Waiting…");
    item.append(head, bar, state);
    list.append(item);
    return { item, bar, state };
  }

  function fail(row, message) {
    row.item.className = "upload-result upload-refused";
    row.item.dataset.uploadOutcome = "refused";
    row.bar.remove();
    row.state.textContent = message;
  }

  function send(file, metadata, row) {
    return new Promise((resolve) => {
      const body = new FormData();
      body.append("files", file);
      if (metadata) body.append("metadata", metadata);
      const xhr = new XMLHttpRequest();
      xhr.open("POST", form.getAttribute("action") || window.location.pathname);
      xhr.setRequestHeader("X-CSRFToken", token);
      xhr.setRequestHeader("X-Requested-With", "fetch");
      xhr.upload.addEventListener("progress", (event) => {
        if (!event.lengthComputable) return;
        row.bar.value = Math.round((100 * event.loaded) / event.total);
        row.state.textContent = `Uploading: ${row.bar.value}%`;
      });
      xhr.upload.addEventListener("load", () => {
        row.bar.value = 100;
        row.state.textContent = "Uploaded; importing…";
      });
      xhr.addEventListener("load", () => {
        const signedOut = new URL(xhr.responseURL || window.location.href).pathname.startsWith("/accounts/login");
        if (!signedOut && xhr.responseText.includes("data-upload-outcome")) {
          const template = document.createElement("template");
          template.innerHTML = xhr.responseText.trim();
          row.item.replaceWith(template.content);
        } else if (signedOut || xhr.status === 403) {
          fail(row, "Not imported: you are signed out or not an editor. Sign in again and reload this page.");
        } else {
          fail(row, `Not imported: the server answered ${xhr.status}. Try this file again.`);
        }
        resolve();
      });
      xhr.addEventListener("error", () => {
        fail(row, "Not imported: the connection was lost during the upload. Try this file again.");
        resolve();
      });
      xhr.send(body);
    });
  }

  function summarise(total) {
    const count = (result) => list.querySelectorAll(`[data-upload-outcome="${result}"]`).length;
    status.textContent =
      `${plural(total, "file")}: ${count("imported")} imported, ` +
      `${count("unchanged")} with nothing new, ${count("refused")} refused.`;
  }

  async function uploadAll(event) {
    event.preventDefault();
    const files = [...input.files];
    const metadata = files.find((file) => file.name.toLowerCase() === METADATA);
    const articles = files.filter((file) => file !== metadata);
    results.hidden = false;
    list.replaceChildren();
    if (!articles.length) {
      status.textContent = files.length
        ? "A metadata.json only describes other files: choose them with it."
        : "Choose at least one file to upload.";
      return;
    }
    button.disabled = true;
    const rows = articles.map((file) => placeholder(file));
    for (const [i, file] of articles.entries()) {
      status.textContent = `Uploading ${i + 1} of ${articles.length}: ${file.name}`;
      if (file.size > maxBytes) {
        fail(rows[i], `Refused: ${file.name} is ${file.size.toLocaleString("en")} bytes, larger than the largest upload of ${maxBytes.toLocaleString("en")} bytes.`);
        continue;
      }
      // One at a time: the verdicts arrive in the order of the list, and a batch of large
      // files does not hold several of the server's workers at once.
      await send(file, metadata, rows[i]);
    }
    summarise(articles.length);
    button.disabled = false;
    form.reset();
    describeChoice();
  }

  input.addEventListener("change", describeChoice);
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("drag-over");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("drag-over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("drag-over");
    if (event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      describeChoice();
    }
  });
  // A file dropped beside the zone would otherwise replace the page with itself.
  document.addEventListener("dragover", (event) => event.preventDefault());
  document.addEventListener("drop", (event) => event.preventDefault());
  form.addEventListener("submit", uploadAll);
}

if (form) setUp(form);
