// The reviewer's own annotations in the panel: the edit form, the conflict box when someone
// saved in between (412), and deleting (the toast then offers Undo).

import { panel, root, state } from "./dom.js";
import { post, RequestFailed, urlFor } from "./http.js";
import { citesSource, labelName } from "./labels.js";
import { attempt, canRetry, clearError, showError } from "./notices.js";
import { apply } from "./sentences.js";
import { SourcePicker } from "./source-picker.js";

function formOf(form) {
  const label = form.querySelector("input[name=label]:checked")?.value ?? "";
  const source = citesSource(label) ? form.picker.value() : null;
  return { label, note: form.querySelector("[data-note]").value, source: source?.id ?? "" };
}

export function openEdit(row) {
  panel.querySelectorAll("[data-edit-form]").forEach((form) => closeEdit(form));
  const form = root.querySelector("#edit-template").content.firstElementChild.cloneNode(true);
  const picker = new SourcePicker(form.querySelector("[data-source-picker]"), () => {});
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
  // The chosen label has focus (a selector list would give the first radio in the form).
  (form.querySelector("input[name=label]:checked") ?? form.querySelector("input[name=label]")).focus();
}

export function closeEdit(form) {
  form.row.querySelector(".row-view").hidden = false;
  form.remove();
}

export const openForm = () => panel.querySelector("[data-edit-form]");

async function saveEdit(form, etag) {
  const fields = formOf(form);
  const url = urlFor("updateUrl", form.row.dataset.annotation);
  clearError();
  try {
    apply(await post(url, fields, { "If-Match": etag }));
  } catch (error) {
    if (!(error instanceof RequestFailed)) throw error;
    if (error.status === 412 && error.data.current) showConflict(form, fields, error.data);
    else showError(error.message, { retry: canRetry(error) ? () => saveEdit(form, etag) : null });
  }
}

function describe(list, { label, note, source }) {
  list.replaceChildren();
  const add = (term, value) => {
    list.append(Object.assign(document.createElement("dt"), { textContent: term }));
    list.append(Object.assign(document.createElement("dd"), { textContent: value }));
  };
  add("Label", labelName(label));
  if (citesSource(label)) add("Source", source?.name ?? "—");
  add("Note", note || "(none)");
}

function showConflict(form, mine, refusal) {
  const theirs = refusal.current;
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
      await saveEdit(form, theirs.etag);
    } else if (action === "take-theirs") {
      apply(refusal); // the 412 carried the sentence and panel as they are now
    }
  };
  box.querySelector("[data-action=keep-mine]").focus();
}

export function deleteAnnotation(row) {
  const url = urlFor("deleteUrl", row.dataset.annotation);
  return attempt(async () => {
    try {
      apply(await post(url, {}, { "If-Match": row.dataset.etag }));
    } catch (error) {
      // The panel was stale (412): show it as it is now, beside the message.
      if (error instanceof RequestFailed && error.status === 412) apply(error.data);
      throw error;
    }
    state.current?.focus(); // the row and its button are gone; stay on the sentence
  });
}
