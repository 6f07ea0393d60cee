// Suggestions in the reviewer workspace (suggestions/workspace.py answers these requests).
//
// Each suggestion is a dashed chip after its sentence, with the rule's explanation shown on
// focus. On a chip, Enter accepts it (the reviewer's own annotation, through the same
// service as a label key) and x dismisses it; s moves to the next chip. A bar above the
// text holds the reviewer's switch and "accept all" per label, which asks first. The
// workspace redraws sentences from the server's HTML; chips are drawn again after each.

import { body, root } from "../annotations/workspace/dom.js";
import { get, post } from "../annotations/workspace/http.js";
import { showError } from "../annotations/workspace/notices.js";
import { apply } from "../annotations/workspace/sentences.js";

const bar = root.querySelector("[data-suggestions]");
const urls = bar.dataset;
const byId = new Map(); // suggestion id -> suggestion
let enabled = true;
let computing = false; // the worker has not computed this article's suggestions yet
let retry = null;
let wait = 2000; // ms before asking again while computing; doubles up to a minute

const urlWith = (template, id) => template.replace("/0/", `/${id}/`);

function chip(s) {
  const el = document.createElement("span");
  el.className = `suggestion label-${s.label}`;
  el.dataset.suggestion = s.id;
  el.dataset.nontext = ""; // not part of the sentence's text (phrase offsets skip it)
  el.tabIndex = 0;
  el.setAttribute("role", "button");
  const source = s.label === "cited_source" && s.source
    ? ` Source: ${s.source}${s.newSource ? " (new source?)" : ""}.` : "";
  // The button's name comes from this hidden text, not aria-label: a label's name inside
  // an aria-label would make the chip answer to "the Unverified claim field" as well.
  const spoken = document.createElement("span");
  spoken.className = "sr-only";
  spoken.textContent =
    `Suggestion, ${s.labelName}: ${s.explanation}.${source} Enter accepts, x dismisses.`;
  const initial = document.createElement("span");
  initial.setAttribute("aria-hidden", "true");
  initial.textContent = `${s.initial}?`;
  const why = document.createElement("span");
  why.className = "why";
  why.setAttribute("aria-hidden", "true");
  why.textContent = `${s.labelName}: ${s.explanation}.${source}`;
  el.append(spoken, initial, why);
  return el;
}

function draw() {
  root.classList.toggle("suggestions-off", !enabled);
  const bySentence = new Map();
  for (const s of byId.values()) {
    if (!bySentence.has(s.sentence)) bySentence.set(s.sentence, []);
    bySentence.get(s.sentence).push(s);
  }
  body.querySelectorAll("[data-sentence]").forEach((sentence) => {
    const wanted = bySentence.get(Number(sentence.dataset.sentence)) ?? [];
    const drawn = [...sentence.querySelectorAll("[data-suggestion]")];
    const have = new Set(drawn.map((el) => Number(el.dataset.suggestion)));
    drawn.filter((el) => !byId.has(Number(el.dataset.suggestion))).forEach((el) => el.remove());
    wanted.filter((s) => !have.has(s.id)).forEach((s) => sentence.append(chip(s)));
    sentence.classList.toggle("has-suggestion", wanted.length > 0);
  });
  drawBar();
}

function drawBar() {
  const counts = new Map();
  for (const s of byId.values()) {
    const entry = counts.get(s.label) ?? { name: s.labelName, n: 0 };
    entry.n += 1;
    counts.set(s.label, entry);
  }
  let status = "Hidden";
  if (enabled && computing) status = "Suggestions are being computed…";
  else if (enabled) status = `${byId.size} open suggestion${byId.size === 1 ? "" : "s"}`;
  bar.querySelector("[data-suggestions-count]").textContent = status;
  bar.classList.toggle("computing", enabled && computing);
  const holder = bar.querySelector("[data-suggestions-accept-all]");
  holder.replaceChildren();
  if (!enabled) return;
  for (const [label, { name, n }] of counts) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "small";
    button.dataset.acceptAll = label;
    button.textContent = `Accept all ${n} “${name}”`;
    holder.append(button);
  }
}

function answered(ids) {
  (ids ?? []).forEach((id) => byId.delete(id));
}

async function run(action) {
  try {
    const data = await action();
    answered(data.answered);
    apply(data); // redraws sentences and the panel, shows the message
  } catch (error) {
    showError(error.message);
  }
  draw();
}

const accept = (id) => run(() => post(urlWith(urls.acceptUrl, id)));
const dismiss = (id) => run(() => post(urlWith(urls.dismissUrl, id)));

function acceptAll(label) {
  const n = [...byId.values()].filter((s) => s.label === label).length;
  const name = [...byId.values()].find((s) => s.label === label)?.labelName ?? label;
  // eslint-disable-next-line no-alert -- the plain confirmation the issue asks for
  if (!window.confirm(`Accept all ${n} “${name}” suggestions in this article as your own annotations?`)) return;
  run(() => post(urls.acceptAllUrl, { label }));
}

function nextChip() {
  const chips = [...body.querySelectorAll("[data-suggestion]")];
  if (!chips.length) return;
  const index = chips.indexOf(document.activeElement);
  const next = chips[(index + 1) % chips.length];
  next.focus();
  next.scrollIntoView({ block: "nearest" });
}

// Keys on a chip are handled here and kept from the workspace's own shortcuts.
body.addEventListener("keydown", (event) => {
  const el = event.target.closest?.("[data-suggestion]");
  if (!el || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === "Enter" || event.key === " ") accept(Number(el.dataset.suggestion));
  else if (event.key === "x") dismiss(Number(el.dataset.suggestion));
  else if (event.key === "s") nextChip();
  else return;
  event.preventDefault();
  event.stopPropagation();
}, true);
body.addEventListener("click", (event) => {
  const el = event.target.closest("[data-suggestion]");
  if (el) el.focus();
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "s" || !enabled || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.target.closest("input, textarea, select, [contenteditable], dialog")) return;
  if (event.target.closest("[data-suggestion]")) return;
  event.preventDefault();
  nextChip();
});
bar.addEventListener("click", (event) => {
  const button = event.target.closest("[data-accept-all]");
  if (button) acceptAll(button.dataset.acceptAll);
});
bar.querySelector("[data-suggestions-switch]").addEventListener("change", async (event) => {
  enabled = event.target.checked;
  await run(() => post(urls.preferenceUrl, { enabled: enabled ? "1" : "0" }));
  if (enabled) await load();
});

// The workspace replaces sentences with the server's HTML after every save: draw again.
new MutationObserver(() => draw()).observe(body, { childList: true, subtree: true });

async function load() {
  clearTimeout(retry);
  try {
    const data = await get(urls.listUrl);
    enabled = data.enabled;
    computing = data.computing;
    // Until the worker is done, ask again, less often as time goes by: a page left open
    // while no worker runs costs a request a minute.
    if (computing && enabled) {
      retry = setTimeout(load, wait);
      wait = Math.min(wait * 2, 60000);
    } else wait = 2000;
    bar.querySelector("[data-suggestions-switch]").checked = enabled;
    byId.clear();
    data.suggestions.forEach((s) => byId.set(s.id, s));
  } catch (error) {
    showError(error.message);
  }
  draw();
  bar.dataset.ready = "true"; // browser tests wait for this
}

load();
