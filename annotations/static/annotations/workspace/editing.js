// The reviewer's own annotations in the panel: the edit form, the conflict box when someone
// saved in between (412), deleting, and undoing a delete.

import { panel, root, state } from "./dom.js";
import { problem, request } from "./http.js";
import { citesSource, labelName } from "./labels.js";
import { afterChange, redrawSentence, refreshPanel } from "./sentences.js";
import { SourcePicker } from "./source-picker.js";
import { showToast } from "./toast.js";

const annotationUrl = (id) => `${root.dataset.api}${id}/`;

function payloadOf(form) {
  const label = form.querySelector("input[name=label]:checked")?.value;
  const payload = { label, note: form.querySelector("[data-note]").value };
  payload.source = citesSource(label) ? form.picker.value()?.id ?? null : null;
  return payload;
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
  form.querySelector("input[name=label]:checked, input[name=label]").focus();
}

export function closeEdit(form) {
  form.row.querySelector(".row-view").hidden = false;
  form.remove();
}

export const openForm = () => panel.querySelector("[data-edit-form]");

function showEditError(form, message) {
  const box = form.querySelector("[data-edit-error]");
  box.querySelector("[data-error-text]").textContent = message;
  box.hidden = !message;
}

async function saveEdit(form, etag) {
  const payload = payloadOf(form);
  showEditError(form, "");
  let response;
  try {
    response = await request("PATCH", annotationUrl(form.row.dataset.annotation), {
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
  await afterChange(state.current.dataset.sentence);
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
      await afterChange(state.current.dataset.sentence);
    }
  };
  box.querySelector("[data-action=keep-mine]").focus();
}

export async function deleteAnnotation(row) {
  const sentenceId = state.current.dataset.sentence;
  let response;
  try {
    response = await request("DELETE", annotationUrl(row.dataset.annotation), {
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
  state.current?.focus(); // the row and its button are gone; stay on the sentence
  const id = row.dataset.annotation;
  showToast(`Deleted ${labelName(row.dataset.label)}.`, { undo: () => undoDelete(id, sentenceId) });
}

async function undoDelete(id, sentenceId) {
  let response;
  try {
    response = await request("POST", `${annotationUrl(id)}restore/`);
  } catch (error) {
    return showToast(error.message);
  }
  if (!response.ok) return showToast((await problem(response)).message);
  showToast("Annotation restored.");
  const here = state.current?.dataset.sentence === sentenceId;
  await Promise.all([redrawSentence(sentenceId), here && refreshPanel()]);
}
