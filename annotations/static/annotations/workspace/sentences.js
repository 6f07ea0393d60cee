// The current sentence: choosing it, describing it in the composer, moving with j/k, and
// redrawing it and its panel from the server's HTML after a change. Also the progress bar,
// which counts the sentences drawn as reviewed.

import { annotatable, body, composer, panel, root, state } from "./dom.js";
import { parse, problem, request, RequestFailed, urlFor } from "./http.js";

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

export async function refreshPanel() {
  clearTimeout(panelTimer);
  if (!state.current) return;
  const id = state.current.dataset.sentence;
  try {
    const response = await request("GET", urlFor("panelUrl", id));
    if (!response.ok) throw new RequestFailed((await problem(response)).message);
    const html = await response.text();
    if (state.current?.dataset.sentence === id) panel.replaceChildren(parse(html));
  } catch (error) {
    panel.replaceChildren(Object.assign(document.createElement("p"), {
      className: "form-error",
      textContent: error.message,
    }));
  }
}

export async function redrawSentence(id, html = null) {
  if (html === null) {
    const response = await request("GET", urlFor("sentenceUrl", id));
    if (!response.ok) return;
    html = await response.text();
  }
  const old = body.querySelector(`[data-sentence="${id}"]`);
  const fresh = parse(html).firstElementChild;
  if (!old || !fresh) return;
  const wasCurrent = old === state.current;
  const hadFocus = document.activeElement === old;
  old.replaceWith(fresh);
  if (wasCurrent) {
    state.current = null;
    setCurrent(fresh, { focus: hadFocus, loadPanel: false });
  }
  updateProgress();
}

export async function afterChange(sentenceId) {
  await Promise.all([redrawSentence(sentenceId), refreshPanel()]);
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
