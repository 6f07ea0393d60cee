// Choosing a phrase without a mouse: w selects the next word of the current sentence and b
// the previous one; Shift+→ extends the phrase by a word and Shift+← takes its last word
// back. The phrase is drawn as the browser's own selection, as a mouse selection is, and
// then labelled like one. Words are runs of non-space, without the punctuation around them
// ("plan." selects "plan").

import { codePoints, state } from "./dom.js";
import { showError } from "./notices.js";
import { sentenceText } from "./selection.js";
import { describeTarget } from "./sentences.js";

const LEADING = /^["'“”‘’«»([{]+/u;
const TRAILING = /["'“”‘’«»)\]},.;:!?]+$/u;

// The sentence's words as [start, end) offsets in code points from its start.
function words(text) {
  const found = [];
  for (const match of text.matchAll(/\S+/gu)) {
    let a = match.index;
    let b = a + match[0].length;
    a += LEADING.exec(match[0])?.[0].length ?? 0;
    b -= TRAILING.exec(match[0])?.[0].length ?? 0;
    if (a < b) found.push({ start: codePoints(text.slice(0, a)), end: codePoints(text.slice(0, b)) });
  }
  return found;
}

// The DOM position of a code-point offset into the sentence's own text (initials skipped).
function domPoint(sentence, offset) {
  const walker = document.createTreeWalker(sentence, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => (node.parentElement.closest("[data-nontext]")
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  let left = offset;
  let last = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const chars = [...node.data];
    if (left <= chars.length) return [node, chars.slice(0, left).join("").length];
    left -= chars.length;
    last = node;
  }
  return last ? [last, last.data.length] : [sentence, 0];
}

function select(sentence, text, a, b) {
  const base = Number(sentence.dataset.start);
  state.phrase = { start: base + a, end: base + b, quote: [...text].slice(a, b).join("") };
  const range = document.createRange();
  range.setStart(...domPoint(sentence, a));
  range.setEnd(...domPoint(sentence, b));
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  describeTarget();
}

// step: "next" or "previous" (a one-word phrase), "extend" or "shrink" (its end).
export function phraseByWord(step) {
  const sentence = state.current;
  if (!sentence) {
    showError("Select a sentence first: move to it with j/k (or click it), then press w.");
    return;
  }
  const text = sentenceText(sentence);
  const list = words(text);
  if (!list.length) return;
  const base = Number(sentence.dataset.start);
  const { phrase } = state;
  const first = phrase ? list.findIndex((w) => w.end > phrase.start - base) : -1;
  const last = phrase ? list.findLastIndex((w) => w.start < phrase.end - base) : -1;
  let from = first;
  let to = last;
  if (!phrase) {
    from = step === "previous" ? list.length - 1 : 0;
    to = from;
  } else if (step === "next") {
    from = Math.min(list.length - 1, last + 1);
    to = from;
  } else if (step === "previous") {
    from = Math.max(0, first - 1);
    to = from;
  } else if (step === "extend") {
    to = Math.min(list.length - 1, last + 1);
  } else if (step === "shrink") {
    to = Math.max(first, last - 1);
  }
  select(sentence, text, list[from].start, list[to].end);
}
