// The current sentence (choosing it, describing it in the composer, moving with j/k) and
// drawing what the server answers: the sentences, paragraphs and panel it rendered, the
// progress bar that counts the sentences drawn as reviewed, and the toast it words.

import { annotatable, body, composer, panel, root, state } from "./dom.js";
import { get, parse, post, urlFor } from "./http.js";
import { attempt, showToast } from "./notices.js";
import { remember } from "./position.js";

// The part of the window the text shows in: above the phone's tool sheet, if there is one.
function visibleHeight() {
  const side = root.querySelector("[data-side]");
  if (side && getComputedStyle(side).position === "fixed") return side.getBoundingClientRect().top;
  return window.innerHeight;
}

// Moving by keyboard keeps the current sentence in the middle third of what is visible,
// so the reader sees what comes before and after and its focus ring is never cut off at
// an edge. A sentence already there stays put (no jitter while reading down a screen).
export function keepInView(sentence) {
  const height = visibleHeight();
  const box = sentence.getBoundingClientRect();
  if (box.top >= height / 3 && box.bottom <= (2 * height) / 3) return;
  const delta = box.height > height / 2
    ? box.top - height / 6 // a very long sentence: its start near the top
    : box.top + box.height / 2 - height / 2;
  window.scrollBy({ top: delta, behavior: "instant" });
}

export function setCurrent(sentence, { focus = true, loadPanel = true, center = false } = {}) {
  if (!sentence || !sentence.hasAttribute("data-annotatable")) return;
  const { current } = state;
  if (current && current !== sentence) {
    current.classList.remove("is-current");
    current.tabIndex = -1;
    current.removeAttribute("aria-current");
  }
  if (current !== sentence) clearPhrase();
  state.current = sentence;
  root.classList.add("has-current");
  sentence.classList.add("is-current");
  sentence.tabIndex = 0;
  sentence.setAttribute("aria-current", "true");
  if (focus) sentence.focus({ preventScroll: true });
  if (center) keepInView(sentence);
  else sentence.scrollIntoView({ block: "nearest" });
  remember(sentence);
  composer.querySelectorAll("button[data-label], [data-action=no-label]").forEach((b) => {
    b.disabled = false;
  });
  describeTarget();
  if (loadPanel) refreshPanel();
}

export function describeTarget() {
  const target = composer.querySelector("[data-target]");
  const { current, phrase } = state;
  if (!current) {
    target.textContent = "No sentence selected.";
    return;
  }
  const where = `Sentence ${current.dataset.position}`;
  target.textContent = phrase
    ? `${where}, phrase: “${phrase.quote}”`
    : `${where} (whole sentence)${current.dataset.noLabel === "1" ? ", marked no label" : ""}`;
}

export function clearPhrase() {
  state.phrase = null;
  describeTarget();
}

// A phrase chosen by keyboard is the browser's selection: moving on takes it away too.
function dropPhrase() {
  if (state.phrase) window.getSelection()?.removeAllRanges();
  clearPhrase();
}

export function move(step) {
  const all = annotatable();
  if (!all.length) return;
  dropPhrase();
  const index = state.current ? all.indexOf(state.current) : -1;
  const next = all[Math.min(all.length - 1, Math.max(0, index + step))];
  setCurrent(next ?? all[0], { loadPanel: false, center: true });
  schedulePanel();
}

// The first sentence after the current one (then from the top) the reviewer has not
// reviewed: neither labelled nor marked "no label".
export function nextUnreviewed() {
  const all = annotatable();
  const index = state.current ? all.indexOf(state.current) : -1;
  const next = [...all.slice(index + 1), ...all.slice(0, index + 1)]
    .find((s) => s.dataset.reviewed !== "1");
  dropPhrase();
  if (!next) {
    showToast("Every sentence is reviewed: press “Done with this article” when ready.");
    return;
  }
  setCurrent(next, { loadPanel: false, center: true });
  schedulePanel();
}

let panelTimer = null;
// The panel was drawn by other means (a key that needed it at once): no refresh is owed.
export const cancelPanelRefresh = () => clearTimeout(panelTimer);

function schedulePanel() {
  // Holding j should not send a request per sentence passed.
  clearTimeout(panelTimer);
  panelTimer = setTimeout(refreshPanel, 150);
}

// Draws the current sentence and its panel as they are now on the server.
export function refreshPanel() {
  clearTimeout(panelTimer);
  if (!state.current) return;
  const url = urlFor("sentenceUrl", state.current.dataset.sentence);
  return attempt(async () => {
    const data = await get(url);
    // A refresh must not throw away an edit in progress (e opens one right after a move).
    if (!panel.querySelector("[data-edit-form]")) apply(data);
  });
}

const sentenceEl = (id) => body.querySelector(`[data-sentence="${id}"]`);
const sentencesIn = (node) => [...node.querySelectorAll("[data-sentence]")];

function replaceSentence(id, html) {
  const old = sentenceEl(id);
  const fresh = parse(html).firstElementChild;
  if (old && fresh) old.replaceWith(fresh);
}

// A join or split: the blocks drawn around the change give way to the server's, and the
// sentences after them move up or down by the number of sentences gained or lost.
function replaceBlocks(html, removed) {
  const fresh = parse(html);
  const ids = [...sentencesIn(fresh).map((s) => s.dataset.sentence), ...removed.map(String)];
  const old = [...body.querySelectorAll("[data-block]")]
    .filter((block) => ids.some((id) => block.querySelector(`[data-sentence="${id}"]`)));
  if (!old.length) return;
  const shift = sentencesIn(fresh).length - old.reduce((n, b) => n + sentencesIn(b).length, 0);
  let after = old.at(-1).nextElementSibling;
  old[0].before(fresh);
  old.forEach((block) => block.remove());
  for (; after; after = after.nextElementSibling) {
    sentencesIn(after).forEach((s) => { s.dataset.position = Number(s.dataset.position) + shift; });
  }
}

// The current sentence again, after its element was replaced (or gone).
function reselect(id, hadFocus) {
  if (state.current?.isConnected) return;
  const fresh = sentenceEl(id);
  state.current = null;
  if (fresh) setCurrent(fresh, { focus: hadFocus, loadPanel: false });
  else root.classList.remove("has-current");
}

export function apply(data) {
  const id = state.current?.dataset.sentence;
  const hadFocus = state.current !== null && document.activeElement === state.current;
  (data.sentences ?? []).forEach((s) => replaceSentence(s.id, s.html));
  if (data.blocks !== undefined) replaceBlocks(data.blocks, data.removed ?? []);
  if (id) reselect(id, hadFocus);
  if (data.panel !== undefined && state.current?.dataset.sentence === String(data.sentence)) {
    panel.replaceChildren(parse(data.panel));
  }
  updateProgress();
  describeTarget();
  if (data.message) {
    const undo = data.undo ? async () => apply(await post(data.undo)) : null;
    showToast(data.message, { undo });
  }
}

export function updateProgress() {
  const all = annotatable();
  const done = all.filter((s) => s.dataset.reviewed === "1").length;
  const bar = root.querySelector("[data-progress]");
  bar.max = all.length;
  bar.value = done;
  root.querySelector("[data-progress-text]").textContent =
    `${done} of ${all.length} sentences reviewed`;
}
