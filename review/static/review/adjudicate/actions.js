// What the editor does: verdicts (one annotation, or the selection), the sentence's final
// labels, reasons and notes, "accept where reviewers agree", and closing. Each is one
// request carrying the version it was drawn with; the answer redraws what changed.
//
// Actions run one after another, each reading the page only when its turn comes: keys
// pressed faster than the server answers (2 then 1 on one sentence) then build on each
// other's answers instead of sending the same stale version twice and meeting a 412.

import { annotationById, currentAnnotation, labelOrder, root, rowById, state } from "./dom.js";
import { post, urlFor } from "./http.js";
import { attempt, showError } from "./notices.js";
import { advanceInRow, apply, syncSelection } from "./rows.js";

let queue = Promise.resolve();
const run = (action) => {
  queue = queue.then(() => attempt(action, apply));
  return queue;
};

function reasonOf(annotation) {
  return annotation.querySelector("[data-reason]").value;
}

export function verdictOn(annotation, status) {
  if (!annotation) {
    showError("This sentence has no annotations: set its final labels with the label keys, or 0 for no label.");
    return;
  }
  const id = annotation.dataset.annotation;
  return run(async () => {
    const now = annotationById(id); // as drawn when this action's turn comes
    if (!now) return;
    const form = { status, reason: reasonOf(now) };
    apply(await post(urlFor("verdictUrl", id), form, { "If-Match": now.dataset.etag }));
    advanceInRow();
  });
}

export function bulkVerdict(status) {
  if (!state.selected.size) return;
  return run(async () => {
    const chosen = [...state.selected].map(annotationById).filter(Boolean);
    const fields = [["status", status], ...chosen.map((a) => ["annotation", a.dataset.etag])];
    apply(await post(root.dataset.verdictsUrl, fields));
    state.selected.clear();
    syncSelection();
  });
}

// a / r: the selection when there is one, else the current annotation.
export function verdict(status) {
  if (state.selected.size) return bulkVerdict(status);
  return verdictOn(currentAnnotation(), status);
}

// Enter in a reason field: save it with the verdict already given; before a verdict, the
// reason waits for a or r.
export function saveReason(input) {
  const annotation = input.closest("[data-annotation]");
  state.row?.focus({ preventScroll: true });
  if (annotation.dataset.status === "submitted") return;
  return verdictOn(annotation, annotation.dataset.status);
}

function finalOf(row) {
  return row.dataset.final ? row.dataset.final.split(",") : [];
}

// `labels` is a function of the row as drawn when the action's turn comes.
function decideWith(row, labels) {
  if (!row) return;
  const id = row.dataset.sentence;
  return run(async () => {
    const now = rowById(id);
    if (!now) return;
    const note = now.querySelector("[data-decision-note]").value;
    const fields = [["note", note], ...labels(now).map((label) => ["label", label])];
    apply(await post(urlFor("decisionUrl", id), fields, { "If-Match": now.dataset.decisionEtag }));
  });
}

export const decide = (row, labels) => decideWith(row, () => labels);

// A label key adds the label to the final labels, or takes it away; the labels drawn are
// the decision's, or (before one) those accepted so far.
export function toggleFinal(label) {
  return decideWith(state.row, (row) => {
    const now = new Set(finalOf(row));
    if (now.has(label) && row.dataset.decided === "1") now.delete(label);
    else now.add(label);
    return labelOrder.filter((l) => now.has(l));
  });
}

export const noLabel = () => decide(state.row, []);
export const decideAsShown = (row = state.row) => decideWith(row, finalOf);

export function focusReason() {
  const annotation = currentAnnotation();
  if (!annotation) {
    showError("This sentence has no annotations, so there is no verdict to give a reason for.");
    return;
  }
  annotation.querySelector("[data-reason]").focus();
}

export const focusNote = () => state.row?.querySelector("[data-decision-note]").focus();

function confirmWith(dialog, text, onConfirm) {
  dialog.querySelector("[data-confirm-agreed-text], [data-confirm-close-text]").textContent = text;
  dialog.returnValue = "";
  dialog.onclose = () => {
    if (dialog.returnValue === "confirm") onConfirm();
    else state.row?.focus({ preventScroll: true });
  };
  dialog.showModal();
}

export function acceptAgreed() {
  const summary = root.querySelector("[data-summary]");
  const sentences = Number(summary.dataset.agreedSentences);
  const annotations = Number(summary.dataset.agreedAnnotations);
  if (!sentences) {
    showError("No sentence is left where all reviewers agree and nothing is decided yet.");
    return;
  }
  const text = `Accept ${annotations} annotation${annotations === 1 ? "" : "s"} on ${sentences} ` +
    `sentence${sentences === 1 ? "" : "s"} where every reviewer gave the same labels, and make ` +
    "those labels the sentences' final labels?";
  confirmWith(root.querySelector("[data-confirm-agreed]"), text, () => run(async () => {
    apply(await post(root.dataset.acceptAgreedUrl));
    state.row?.focus({ preventScroll: true });
  }));
}

export function closeArticle() {
  const form = root.querySelector("[data-close-form]");
  if (!form.querySelector("[data-action=close]")) return; // already closed
  const undecided = Number(root.querySelector("[data-summary]").dataset.undecided);
  const text = undecided
    ? `${undecided} sentence${undecided === 1 ? " has" : "s have"} no final decision yet, so closing will be refused.`
    : "Every content sentence has its final labels. Reviewers will see the article as adjudicated.";
  confirmWith(root.querySelector("[data-confirm-close]"), text, () => form.submit());
}
