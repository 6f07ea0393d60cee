// The reviewer workspace: choose a sentence or phrase, label it, edit and delete.
//
// Annotations are saved through /api/annotations/; after each save the server sends back
// the HTML of the one changed sentence and of its panel, so nothing else is redrawn and
// every piece of text on screen was escaped by Django templates. What the reviewer typed
// stays in the form until a save succeeds, so a failed request is retried, never retyped.

const root = document.querySelector("[data-workspace]");
const csrf = root.querySelector("[name=csrfmiddlewaretoken]").value;
const body = root.querySelector("[data-body]");
const composer = root.querySelector("[data-composer]");
const panel = root.querySelector("[data-panel]");
const toast = root.querySelector("[data-toast]");
const shortcuts = root.querySelector("[data-shortcuts]");
// Each label's value, name, key and whether it cites a source, from annotations/labels.py.
const LABELS = JSON.parse(document.getElementById("label-data").textContent);
const LABEL_NAMES = Object.fromEntries(LABELS.map((l) => [l.value, l.name]));
const KEY_LABELS = Object.fromEntries(LABELS.map((l) => [l.key, l.value]));
const citesSource = (value) => LABELS.some((l) => l.value === value && l.needsSource);
const UNDO_SECONDS = 8;

let current = null; // the current sentence element
let phrase = null; // {start, end, quote} in absolute body offsets, inside `current`
let retry = null; // the last failed composer action, to run again
let undo = null; // {id} of the last deleted annotation while its undo is offered
let toastTimer = null;

// ---- HTTP ------------------------------------------------------------------------------

class RequestFailed extends Error {}

const urlFor = (name, id) => root.dataset[name].replace("/0/", `/${id}/`);

async function request(method, url, { json, form, headers = {} } = {}) {
  const init = {
    method,
    credentials: "same-origin",
    headers: { "X-CSRFToken": csrf, Accept: "application/json, text/html", ...headers },
  };
  if (json !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(json);
  } else if (form !== undefined) {
    init.body = new URLSearchParams(form);
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch {
    throw new RequestFailed(
      "Couldn't reach the server. Your input is kept: check the connection and try again.",
    );
  }
  if (response.redirected && new URL(response.url).pathname === root.dataset.loginUrl) {
    throw new RequestFailed("You were signed out. Sign in again in another tab, then try again.");
  }
  return response;
}

async function problem(response) {
  // DRF and our views answer {"detail": "..."} or {"field": ["..."]}; flatten either.
  try {
    const data = await response.json();
    const parts = [];
    const walk = (value) => {
      if (typeof value === "string") parts.push(value);
      else if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === "object") {
        if (value.detail) walk(value.detail);
        else Object.entries(value).forEach(([k, v]) => k !== "current" && k !== "existing" && walk(v));
      }
    };
    walk(data);
    return { message: parts.join(" ") || `The server answered ${response.status}.`, data };
  } catch {
    return { message: `The server answered ${response.status}; try again.`, data: {} };
  }
}

function parse(html) {
  const template = document.createElement("template");
  template.innerHTML = html.trim();
  return template.content;
}

// ---- Sentences ---------------------------------------------------------------------------

const annotatable = () => [...body.querySelectorAll("[data-annotatable]")];
const sentenceOf = (node) =>
  (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement)?.closest("[data-sentence]");

function setCurrent(sentence, { focus = true, loadPanel = true } = {}) {
  if (!sentence || !sentence.hasAttribute("data-annotatable")) return;
  if (current && current !== sentence) {
    current.classList.remove("is-current");
    current.tabIndex = -1;
    current.removeAttribute("aria-current");
  }
  if (current !== sentence) clearPhrase();
  current = sentence;
  root.classList.add("has-current");
  sentence.classList.add("is-current");
  sentence.tabIndex = 0;
  sentence.setAttribute("aria-current", "true");
  if (focus) sentence.focus({ preventScroll: true });
  sentence.scrollIntoView({ block: "nearest" });
  composer.querySelectorAll("button[data-label], [data-action=no-label]").forEach((b) => {
    b.disabled = false;
  });
  describeTarget();
  if (loadPanel) refreshPanel();
}

function describeTarget() {
  const target = composer.querySelector("[data-target]");
  if (!current) {
    target.textContent = "No sentence selected.";
    return;
  }
  const where = `Sentence ${current.dataset.position}`;
  target.textContent = phrase
    ? `${where}, phrase: “${phrase.quote}”`
    : `${where} (whole sentence)${current.dataset.noLabel === "1" ? ", marked no label" : ""}`;
}

function move(step) {
  const all = annotatable();
  if (!all.length) return;
  const index = current ? all.indexOf(current) : -1;
  const next = all[Math.min(all.length - 1, Math.max(0, index + step))];
  setCurrent(next ?? all[0], { loadPanel: false });
  schedulePanel();
}

let panelTimer = null;
function schedulePanel() {
  // Holding j should not send a request per sentence passed.
  clearTimeout(panelTimer);
  panelTimer = setTimeout(refreshPanel, 150);
}

async function refreshPanel() {
  clearTimeout(panelTimer);
  if (!current) return;
  const id = current.dataset.sentence;
  try {
    const response = await request("GET", urlFor("panelUrl", id));
    if (!response.ok) throw new RequestFailed((await problem(response)).message);
    const html = await response.text();
    if (current?.dataset.sentence === id) panel.replaceChildren(parse(html));
  } catch (error) {
    panel.replaceChildren(Object.assign(document.createElement("p"), {
      className: "form-error",
      textContent: error.message,
    }));
  }
}

async function redrawSentence(id, html = null) {
  if (html === null) {
    const response = await request("GET", urlFor("sentenceUrl", id));
    if (!response.ok) return;
    html = await response.text();
  }
  const old = body.querySelector(`[data-sentence="${id}"]`);
  const fresh = parse(html).firstElementChild;
  if (!old || !fresh) return;
  const wasCurrent = old === current;
  const hadFocus = document.activeElement === old;
  old.replaceWith(fresh);
  if (wasCurrent) {
    current = null;
    setCurrent(fresh, { focus: hadFocus, loadPanel: false });
  }
  updateProgress();
}

function updateProgress() {
  const all = annotatable();
  const done = all.filter((s) => s.dataset.reviewed === "1").length;
  const bar = root.querySelector("[data-progress]");
  bar.max = all.length;
  bar.value = done;
  root.querySelector("[data-progress-text]").textContent =
    `${done} of ${all.length} sentences reviewed`;
}

async function afterChange(sentenceId) {
  await Promise.all([redrawSentence(sentenceId), refreshPanel()]);
}

// ---- Phrase selection --------------------------------------------------------------------

const codePoints = (text) => [...text].length;

function textBefore(sentence, node, offset) {
  // The sentence's own text up to (node, offset), without the label initials drawn in it.
  const range = document.createRange();
  range.setStart(sentence, 0);
  range.setEnd(node, offset);
  const copy = range.cloneContents();
  copy.querySelectorAll("[data-nontext]").forEach((el) => el.remove());
  return copy.textContent;
}

function readSelection() {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || !selection.rangeCount) return;
  const range = selection.getRangeAt(0);
  if (!body.contains(range.commonAncestorContainer)) return;
  const first = sentenceOf(range.startContainer);
  const last = sentenceOf(range.endContainer);
  const message = composer.querySelector("[data-selection-message]");
  if (!first || first !== last) {
    message.textContent =
      "A phrase must stay inside one sentence: that selection spans two sentences. " +
      "Select words within a single sentence.";
    return;
  }
  if (!first.hasAttribute("data-annotatable")) {
    message.textContent = "Boilerplate is not annotated.";
    return;
  }
  message.textContent = "";
  const whole = textBefore(first, first, first.childNodes.length);
  let start = textBefore(first, range.startContainer, range.startOffset);
  let end = textBefore(first, range.endContainer, range.endOffset);
  // Trim spaces the mouse picked up at either edge.
  let [a, b] = [codePoints(start), codePoints(end)];
  const chars = [...whole];
  while (a < b && /\s/.test(chars[a])) a += 1;
  while (b > a && /\s/.test(chars[b - 1])) b -= 1;
  if (a >= b) return;
  setCurrent(first, { focus: false });
  const base = Number(first.dataset.start);
  phrase = { start: base + a, end: base + b, quote: chars.slice(a, b).join("") };
  describeTarget();
}

function clearPhrase() {
  phrase = null;
  describeTarget();
}

// ---- Composer: creating annotations ----------------------------------------------------

const composerError = composer.querySelector("[data-composer-error]");

function showComposerError(message, again) {
  retry = again;
  composerError.querySelector("[data-error-text]").textContent = message;
  composerError.querySelector("[data-action=retry]").hidden = !again;
  composerError.hidden = false;
}

function clearComposerError() {
  retry = null;
  composerError.hidden = true;
}

async function run(action) {
  clearComposerError();
  try {
    await action();
  } catch (error) {
    if (!(error instanceof RequestFailed)) throw error;
    showComposerError(error.message, action);
  }
}

async function createAnnotation(label, source, target) {
  // `target` was fixed when the label was chosen, so a retry after moving on still saves
  // to the sentence (and phrase) it was meant for; the note is read now, edits included.
  const payload = {
    sentence: Number(target.sentence.dataset.sentence),
    label,
    note: composer.querySelector("[data-note]").value,
  };
  if (target.phrase) {
    Object.assign(payload, { phrase_start: target.phrase.start, phrase_end: target.phrase.end });
  }
  if (source) payload.source = source.id;
  const response = await request("POST", root.dataset.api, { json: payload });
  if (response.status !== 201) throw new RequestFailed((await problem(response)).message);
  composer.querySelector("[data-note]").value = "";
  newPicker.reset();
  newPicker.hide();
  if (phrase === target.phrase) {
    window.getSelection()?.removeAllRanges();
    clearPhrase();
  }
  await afterChange(payload.sentence);
}

const targetNow = () => ({ sentence: current, phrase });

function chooseLabel(label) {
  if (!current) {
    showComposerError("Select a sentence first: click it, or move with j/k and press Enter.");
    return;
  }
  if (citesSource(label)) {
    const chosen = newPicker.value();
    const target = targetNow();
    if (chosen) return run(() => createAnnotation(label, chosen, target));
    newPicker.show();
    newPicker.focus();
    return;
  }
  newPicker.hide();
  const target = targetNow();
  return run(() => createAnnotation(label, null, target));
}

async function toggleNoLabel() {
  if (!current) return;
  const sentence = current;
  const marked = sentence.dataset.noLabel === "1";
  const url = urlFor(marked ? "noLabelClearUrl" : "noLabelUrl", sentence.dataset.sentence);
  await run(async () => {
    const response = await request("POST", url);
    if (!response.ok) throw new RequestFailed((await problem(response)).message);
    await redrawSentence(sentence.dataset.sentence, await response.text());
    describeTarget();
  });
}

// ---- Source picker (a combobox over names and aliases) ---------------------------------

function sourcePicker(container, onPick) {
  const input = container.querySelector("[data-source-input]");
  const list = container.querySelector("[data-source-list]");
  const chosenText = container.querySelector("[data-source-chosen]");
  const form = container.querySelector("[data-new-source]");
  const formError = container.querySelector("[data-new-source-error]");
  let options = [];
  let active = -1;
  let chosen = null;
  let timer = null;
  let asked = "";

  function render(results, query) {
    list.replaceChildren();
    options = results.map((s) => ({ kind: "source", source: s }));
    if (query) options.push({ kind: "new", name: query });
    options.forEach((option, i) => {
      const li = document.createElement("li");
      li.id = `${list.id}-${i}`;
      li.setAttribute("role", "option");
      li.dataset.index = i;
      if (option.kind === "source") {
        const s = option.source;
        const extra = [s.kind, s.reliability === "Unrated" ? "unrated" : `reliability ${s.reliability.toLowerCase()}`];
        if (s.aliases.length) extra.push(`also ${s.aliases.join(", ")}`);
        li.append(Object.assign(document.createElement("span"), { textContent: s.name }));
        li.append(Object.assign(document.createElement("span"), {
          className: "option-extra",
          textContent: ` · ${extra.join(" · ")}`,
        }));
      } else {
        li.className = "option-new";
        li.textContent = `Add “${option.name}” as a new source…`;
      }
      list.append(li);
    });
    active = options.length ? 0 : -1;
    highlight();
    list.hidden = !options.length;
    input.setAttribute("aria-expanded", String(!list.hidden));
  }

  function highlight() {
    [...list.children].forEach((li, i) => li.setAttribute("aria-selected", String(i === active)));
    if (active >= 0) {
      input.setAttribute("aria-activedescendant", `${list.id}-${active}`);
      list.children[active].scrollIntoView({ block: "nearest" });
    } else input.removeAttribute("aria-activedescendant");
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  async function search() {
    const query = input.value.trim();
    asked = query;
    if (!query) return render([], "");
    try {
      const response = await request("GET", `${root.dataset.suggestUrl}?q=${encodeURIComponent(query)}`);
      if (!response.ok || asked !== query) return;
      render((await response.json()).results, query);
    } catch {
      render([], query); // offline: still offer to add the name typed
    }
  }

  function pick(index) {
    const option = options[index];
    if (!option) return;
    close();
    if (option.kind === "new") {
      form.hidden = false;
      form.querySelector("[data-new-name]").value = option.name;
      formError.textContent = "";
      form.querySelector("[data-new-kind]").focus();
      return;
    }
    setChosen(option.source);
    onPick(option.source);
  }

  function setChosen(source) {
    chosen = source;
    input.value = source ? source.name : "";
    chosenText.hidden = !source;
    chosenText.textContent = source ? `Citing: ${source.name}` : "";
  }

  async function createSource() {
    formError.textContent = "";
    const name = form.querySelector("[data-new-name]").value;
    const kind = form.querySelector("[data-new-kind]").value;
    let response;
    try {
      response = await request("POST", root.dataset.proposeUrl, { form: { name, kind } });
    } catch (error) {
      formError.textContent = error.message;
      return;
    }
    if (response.status !== 201) {
      const { message, data } = await problem(response);
      formError.textContent = message;
      if (data.existing) {
        // The name is taken: use that registry entry rather than asking for another.
        form.hidden = true;
        setChosen(data.existing);
        onPick(data.existing);
      }
      return;
    }
    const source = await response.json();
    form.hidden = true;
    setChosen(source);
    onPick(source);
  }

  input.addEventListener("input", () => {
    chosen = null;
    chosenText.hidden = true;
    clearTimeout(timer);
    timer = setTimeout(search, 120);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (list.hidden) return search();
      const step = event.key === "ArrowDown" ? 1 : -1;
      active = (active + step + options.length) % options.length;
      highlight();
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (!list.hidden && active >= 0) pick(active);
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();
      event.stopPropagation();
      close();
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
  list.addEventListener("mousedown", (event) => event.preventDefault()); // keep focus in input
  list.addEventListener("click", (event) => {
    const li = event.target.closest("[role=option]");
    if (li) pick(Number(li.dataset.index));
  });
  container.addEventListener("click", (event) => {
    const action = event.target.closest("[data-action]")?.dataset.action;
    if (action === "create-source") createSource();
    if (action === "cancel-new-source") {
      form.hidden = true;
      input.focus();
    }
  });
  form.addEventListener("keydown", (event) => {
    // Enter in the name field adds the source instead of submitting the outer form.
    if (event.key === "Enter" && event.target.matches("input")) {
      event.preventDefault();
      createSource();
    }
  });

  return {
    show: () => { container.hidden = false; },
    hide: () => { container.hidden = true; form.hidden = true; close(); },
    focus: () => input.focus(),
    value: () => chosen,
    set: setChosen,
    reset: () => { setChosen(null); form.hidden = true; },
  };
}

const newPicker = sourcePicker(composer.querySelector("[data-source-picker]"), (source) => {
  const target = targetNow();
  const label = LABELS.find((l) => l.needsSource).value;
  return run(() => createAnnotation(label, source, target));
});

// ---- Editing, conflicts, deleting, undo ------------------------------------------------

function payloadOf(form) {
  const label = form.querySelector("input[name=label]:checked")?.value;
  const payload = { label, note: form.querySelector("[data-note]").value };
  payload.source = citesSource(label) ? form.picker.value()?.id ?? null : null;
  return payload;
}

function openEdit(row) {
  panel.querySelectorAll("[data-edit-form]").forEach((form) => closeEdit(form));
  const form = root.querySelector("#edit-template").content.firstElementChild.cloneNode(true);
  const picker = sourcePicker(form.querySelector("[data-source-picker]"), () => {});
  form.picker = picker;
  form.row = row;
  const radio = form.querySelector(`input[name=label][value="${row.dataset.label}"]`);
  if (radio) radio.checked = true;
  form.querySelector("[data-note]").value = row.dataset.note;
  if (row.dataset.sourceId) {
    picker.set({ id: Number(row.dataset.sourceId), name: row.dataset.sourceName });
  }
  const syncPicker = () => (citesSource(form.querySelector("input[name=label]:checked")?.value)
    ? picker.show() : picker.hide());
  syncPicker();
  form.addEventListener("change", (event) => event.target.name === "label" && syncPicker());
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    saveEdit(form, row.dataset.etag);
  });
  row.querySelector(".row-view").hidden = true;
  row.append(form);
  form.querySelector("input[name=label]:checked, input[name=label]").focus();
}

function closeEdit(form) {
  form.row.querySelector(".row-view").hidden = false;
  form.remove();
}

function showEditError(form, message) {
  const box = form.querySelector("[data-edit-error]");
  box.querySelector("[data-error-text]").textContent = message;
  box.hidden = !message;
}

async function saveEdit(form, etag) {
  const row = form.row;
  const payload = payloadOf(form);
  showEditError(form, "");
  let response;
  try {
    response = await request("PATCH", `${root.dataset.api}${row.dataset.annotation}/`, {
      json: payload,
      headers: { "If-Match": etag },
    });
  } catch (error) {
    showEditError(form, error.message);
    return;
  }
  if (response.status === 412) {
    const { data } = await problem(response);
    if (data.current) return showConflict(form, payload, data.current);
  }
  if (!response.ok) {
    showEditError(form, (await problem(response)).message);
    return;
  }
  await afterChange(current.dataset.sentence);
}

function describe(list, { label, note, source }) {
  list.replaceChildren();
  const add = (term, value) => {
    list.append(Object.assign(document.createElement("dt"), { textContent: term }));
    list.append(Object.assign(document.createElement("dd"), { textContent: value }));
  };
  add("Label", LABEL_NAMES[label] ?? label);
  if (citesSource(label)) add("Source", source?.name ?? "—");
  add("Note", note || "(none)");
}

function showConflict(form, mine, theirs) {
  const box = form.querySelector("[data-conflict]");
  describe(box.querySelector("[data-mine]"), {
    ...mine,
    source: mine.source ? form.picker.value() : null,
  });
  describe(box.querySelector("[data-theirs]"), theirs);
  box.hidden = false;
  form.querySelector(".edit-actions").hidden = true;
  box.onclick = async (event) => {
    const action = event.target.closest("[data-action]")?.dataset.action;
    if (action === "keep-mine") {
      box.hidden = true;
      form.querySelector(".edit-actions").hidden = false;
      await saveEdit(form, `"${theirs.id}-${theirs.version}"`);
    } else if (action === "take-theirs") {
      await afterChange(current.dataset.sentence);
    }
  };
  box.querySelector("[data-action=keep-mine]").focus();
}

async function deleteAnnotation(row) {
  const sentenceId = current.dataset.sentence;
  let response;
  try {
    response = await request("DELETE", `${root.dataset.api}${row.dataset.annotation}/`, {
      headers: { "If-Match": row.dataset.etag },
    });
  } catch (error) {
    return showToast(error.message);
  }
  if (!response.ok) {
    showToast((await problem(response)).message);
    return refreshPanel();
  }
  await afterChange(sentenceId);
  current?.focus(); // the row and its button are gone; stay on the sentence
  undo = { id: row.dataset.annotation, sentenceId };
  showToast(`Deleted ${LABEL_NAMES[row.dataset.label]}.`, true);
}

async function undoDelete() {
  if (!undo) return;
  const { id, sentenceId } = undo;
  undo = null;
  let response;
  try {
    response = await request("POST", `${root.dataset.api}${id}/restore/`);
  } catch (error) {
    return showToast(error.message);
  }
  if (!response.ok) return showToast((await problem(response)).message);
  showToast("Annotation restored.");
  await Promise.all([redrawSentence(sentenceId), current?.dataset.sentence === sentenceId && refreshPanel()]);
}

function showToast(message, withUndo = false) {
  clearTimeout(toastTimer);
  toast.querySelector("[data-toast-text]").textContent = message;
  toast.querySelector("[data-action=undo]").hidden = !withUndo;
  toast.hidden = false;
  toastTimer = setTimeout(() => {
    toast.hidden = true;
    undo = null;
  }, (withUndo ? UNDO_SECONDS : 4) * 1000);
}

// ---- Sentence boundaries -------------------------------------------------------------------

let caret = null; // {sentence, at}: where the reviewer last clicked inside a sentence's text

function readCaret() {
  const selection = window.getSelection();
  if (!selection || !selection.isCollapsed || !selection.rangeCount) return;
  const range = selection.getRangeAt(0);
  const sentence = sentenceOf(range.startContainer);
  if (!sentence || !body.contains(sentence)) return;
  const before = codePoints(textBefore(sentence, range.startContainer, range.startOffset));
  caret = { sentence: sentence.dataset.sentence, at: Number(sentence.dataset.start) + before };
}

async function changeBoundary(button) {
  const id = button.dataset.sentenceId;
  const message = panel.querySelector("[data-boundary-message]");
  const say = (text) => Object.assign(message, { textContent: text, hidden: !text });
  let url = urlFor("joinUrl", id);
  let form = {};
  if (button.dataset.boundary === "split") {
    if (!caret || caret.sentence !== id) {
      say("Click in this sentence's text where the new sentence should start, then choose Split.");
      return;
    }
    url = urlFor("splitUrl", id);
    form = { at: caret.at };
  }
  try {
    const response = await request("POST", url, { form });
    if (!response.ok) throw new RequestFailed((await problem(response)).message);
    // Positions change after a join or split, so the whole article is drawn again.
    window.location.hash = `s${id}`;
    window.location.reload();
  } catch (error) {
    say(error.message);
  }
}

// ---- Events ------------------------------------------------------------------------------

body.addEventListener("mouseup", () => setTimeout(() => { readSelection(); readCaret(); }, 0));
body.addEventListener("touchend", () => setTimeout(readSelection, 300));
body.addEventListener("click", (event) => {
  const sentence = event.target.closest("[data-annotatable]");
  if (!sentence) return;
  const selection = window.getSelection();
  if (selection && !selection.isCollapsed) return; // a phrase selection, handled on mouseup
  composer.querySelector("[data-selection-message]").textContent = "";
  if (sentence === current) clearPhrase();
  setCurrent(sentence);
});

composer.addEventListener("click", (event) => {
  const button = event.target.closest("button");
  if (!button) return;
  if (button.dataset.label) chooseLabel(button.dataset.label);
  else if (button.dataset.action === "no-label") toggleNoLabel();
  else if (button.dataset.action === "retry" && retry) run(retry);
});
composer.addEventListener("submit", (event) => event.preventDefault());

panel.addEventListener("click", (event) => {
  const boundary = event.target.closest("[data-boundary]");
  if (boundary) changeBoundary(boundary);
  const button = event.target.closest("[data-action]");
  const row = event.target.closest("[data-annotation]");
  if (!button || !row) return;
  if (button.dataset.action === "edit") openEdit(row);
  else if (button.dataset.action === "delete") deleteAnnotation(row);
  else if (button.dataset.action === "cancel-edit") {
    closeEdit(button.closest("[data-edit-form]"));
    row.querySelector("[data-action=edit]").focus();
  }
});

toast.addEventListener("click", (event) => {
  if (event.target.closest("[data-action=undo]")) undoDelete();
});
root.querySelector("[data-action=shortcuts]").addEventListener("click", () => shortcuts.showModal());

const typing = (el) => el.closest("input, textarea, select, [contenteditable]");

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || shortcuts.open) return;
  if (event.key === "Escape") {
    const form = panel.querySelector("[data-edit-form]");
    if (form) closeEdit(form);
    else if (phrase) {
      window.getSelection()?.removeAllRanges();
      clearPhrase();
    } else if (typing(event.target)) event.target.blur();
    return;
  }
  if (typing(event.target)) return;
  const onSentence = event.target.matches?.("[data-annotatable]");
  const onButton = event.target.closest("button, a, summary");
  switch (event.key) {
    case "j":
      move(1);
      break;
    case "k":
      move(-1);
      break;
    case "ArrowDown":
    case "ArrowUp":
      if (onButton) return;
      move(event.key === "ArrowDown" ? 1 : -1);
      break;
    case "Enter":
      if (!onSentence) return;
      setCurrent(event.target);
      break;
    case "0":
      toggleNoLabel();
      break;
    case "n":
      composer.querySelector("[data-note]").focus();
      break;
    case "u":
      undoDelete();
      break;
    case "?":
      shortcuts.showModal();
      break;
    default:
      if (!Object.hasOwn(KEY_LABELS, event.key)) return;
      if (!current) setCurrent(annotatable()[0], { focus: false });
      chooseLabel(KEY_LABELS[event.key]);
  }
  event.preventDefault();
});

updateProgress();
// After a join or split the page reloads at #s<id>: carry on with that sentence.
const fromHash = /^#s(\d+)$/.exec(window.location.hash);
if (fromHash) setCurrent(body.querySelector(`[data-sentence="${fromHash[1]}"]`));
root.dataset.ready = "true"; // browser tests wait for this before typing
