// Import by URL: fetch the rows again while any URL is still importing.
const box = document.querySelector("[data-url-import-rows]");

function pending() {
  const summary = box.querySelector("[data-pending]");
  return summary ? Number(summary.dataset.pending) : 0;
}

async function refresh() {
  try {
    const response = await fetch(box.dataset.urlImportRows, {
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    });
    if (response.ok) box.innerHTML = await response.text();
  } catch {
    // A network hiccup: try again on the next tick.
  }
  if (pending()) setTimeout(refresh, 1500);
}

if (box && pending()) setTimeout(refresh, 1500);
