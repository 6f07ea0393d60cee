// The current sentence (choosing it, describing it in the composer, moving with j/k) and
// drawing what the server answers: the sentences, paragraphs and panel it rendered, the
// progress bar that counts the sentences drawn as reviewed, and the toast it words.

import { annotatable, body, composer, panel, root, state } from "./dom.js";
import { get, parse, post, urlFor } from "./http.js";
import { attempt, showToast } from "./notices.js";

export function setCurrent(sentence, { focus = true, loadPanel = true } = {}) {
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
  sentence.scrollIntoView({ block: "nearest" });
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

export function move(step) {
  const all = annotatable();
  if (!all.length) return;
  const index = state.current ? all.indexOf(state.current) : -1;
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

// Draws the current sentence and its panel as they are now on the server.
export function refreshPanel() {
  clearTimeout(panelTimer);
  if (!state.current) return;
  const url = urlFor("sentenceUrl", state.current.dataset.sentence);
  return attempt(async () => apply(await get(url)));
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
