// The source picker: a combobox over registry names and aliases, with a small form to add
// a missing source. One instance in the composer and one in each edit form.

import { root } from "./dom.js";
import { get, post, RequestFailed } from "./http.js";
import { clearError, showError } from "./notices.js";

function optionElement(option) {
  const li = document.createElement("li");
  li.setAttribute("role", "option");
  if (option.kind === "new") {
    li.className = "option-new";
    li.textContent = `Add “${option.name}” as a new source…`;
    return li;
  }
  const s = option.source;
  const rating = s.reliability === "Unrated" ? "unrated" : `reliability ${s.reliability.toLowerCase()}`;
  const extra = [s.kind, rating];
  if (s.aliases.length) extra.push(`also ${s.aliases.join(", ")}`);
  li.append(Object.assign(document.createElement("span"), { textContent: s.name }));
  li.append(Object.assign(document.createElement("span"), {
    className: "option-extra",
    textContent: ` · ${extra.join(" · ")}`,
  }));
  return li;
}

export class SourcePicker {
  constructor(container, onPick) {
    this.container = container;
    this.onPick = onPick;
    this.input = container.querySelector("[data-source-input]");
    this.list = container.querySelector("[data-source-list]");
    this.chosenText = container.querySelector("[data-source-chosen]");
    this.form = container.querySelector("[data-new-source]");
    this.options = [];
    this.active = -1;
    this.chosen = null;
    this.timer = null;
    this.asked = "";
    this.listen();
  }

  show() { this.container.hidden = false; }

  hide() {
    this.container.hidden = true;
    this.form.hidden = true;
    this.close();
  }

  focus() { this.input.focus(); }

  value() { return this.chosen; }

  reset() {
    this.set(null);
    this.form.hidden = true;
  }

  set(source) {
    this.chosen = source;
    this.input.value = source ? source.name : "";
    this.chosenText.hidden = !source;
    this.chosenText.textContent = source ? `Citing: ${source.name}` : "";
  }

  // "Add" is offered only for a name the registry lacks (no name or alias equal to it,
  // ignoring case), and is never the option Enter takes without the reviewer moving to it.
  render(results, query, exact = null) {
    this.options = results.map((source) => ({ kind: "source", source }));
    const low = query.toLowerCase();
    const known = exact !== null || results.some((s) => s.name.toLowerCase() === low
      || s.aliases.some((alias) => alias.toLowerCase() === low));
    if (query && !known) this.options.push({ kind: "new", name: query });
    this.list.replaceChildren(...this.options.map((option, i) => {
      const li = optionElement(option);
      li.id = `${this.list.id}-${i}`;
      li.dataset.index = i;
      return li;
    }));
    this.active = this.options.findIndex((option) => option.kind === "source");
    this.highlight();
    this.list.hidden = !this.options.length;
    this.input.setAttribute("aria-expanded", String(!this.list.hidden));
  }

  highlight() {
    [...this.list.children].forEach((li, i) => li.setAttribute("aria-selected", String(i === this.active)));
    if (this.active >= 0) {
      this.input.setAttribute("aria-activedescendant", `${this.list.id}-${this.active}`);
      this.list.children[this.active].scrollIntoView({ block: "nearest" });
    } else this.input.removeAttribute("aria-activedescendant");
  }

  close() {
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
  }

  async search() {
    const query = this.input.value.trim();
    this.asked = query;
    if (!query) return this.render([], "");
    let answer = { results: [], exact: null };
    try {
      answer = await get(`${root.dataset.suggestUrl}?q=${encodeURIComponent(query)}`);
    } catch {
      // Offline or refused: still offer to add the name typed.
    }
    if (this.asked === query) this.render(answer.results, query, answer.exact ?? null);
  }

  // Enter takes the highlighted registry entry, after the search for what was typed last
  // (a fast typist's Enter must not act on the list of a shorter text). With no entry
  // highlighted it says so: a half-typed name is never saved, and "Add" needs choosing.
  async enter() {
    const query = this.input.value.trim();
    if (!query || (this.chosen && this.chosen.name === this.input.value)) return;
    if (this.asked !== query || this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
      await this.search();
    }
    if (this.active >= 0) this.pick(this.active);
    else {
      showError(`No source in the registry is called “${query}”. Check the spelling, or ` +
        "press ↓ to “Add … as a new source” and choose its kind.");
    }
  }

  pick(index) {
    const option = this.options[index];
    if (!option) return;
    this.close();
    if (option.kind === "new") {
      this.form.hidden = false;
      this.form.querySelector("[data-new-name]").value = option.name;
      this.form.querySelector("[data-new-kind]").focus();
      return;
    }
    this.choose(option.source);
  }

  choose(source) {
    this.form.hidden = true;
    this.set(source);
    this.onPick(source);
  }

  async createSource() {
    clearError();
    const name = this.form.querySelector("[data-new-name]").value;
    const kind = this.form.querySelector("[data-new-kind]").value;
    try {
      this.choose((await post(root.dataset.proposeUrl, { name, kind })).source);
    } catch (error) {
      if (!(error instanceof RequestFailed)) throw error;
      // The name is taken: cite that registry entry rather than asking for another.
      if (error.data.existing) this.choose(error.data.existing);
      else showError(error.message);
    }
  }

  onKeydown(event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (this.list.hidden) return this.search();
      const step = event.key === "ArrowDown" ? 1 : -1;
      const from = this.active < 0 && step < 0 ? 0 : this.active;
      this.active = (from + step + this.options.length) % this.options.length;
      this.highlight();
    } else if (event.key === "Enter") {
      event.preventDefault();
      this.enter();
    } else if (event.key === "Escape" && !this.list.hidden) {
      event.preventDefault();
      event.stopPropagation();
      this.close();
    }
  }

  listen() {
    this.input.addEventListener("input", () => {
      this.chosen = null;
      this.chosenText.hidden = true;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.timer = null;
        this.search();
      }, 120);
    });
    this.input.addEventListener("keydown", (event) => this.onKeydown(event));
    this.input.addEventListener("blur", () => setTimeout(() => this.close(), 150));
    this.list.addEventListener("mousedown", (event) => event.preventDefault()); // keep focus
    this.list.addEventListener("click", (event) => {
      const li = event.target.closest("[role=option]");
      if (li) this.pick(Number(li.dataset.index));
    });
    this.container.addEventListener("click", (event) => {
      const action = event.target.closest("[data-action]")?.dataset.action;
      if (action === "create-source") this.createSource();
      if (action === "cancel-new-source") {
        this.form.hidden = true;
        this.input.focus();
      }
    });
    this.form.addEventListener("keydown", (event) => {
      // Enter in the name field adds the source instead of submitting the outer form.
      if (event.key === "Enter" && event.target.matches("input")) {
        event.preventDefault();
        this.createSource();
      }
    });
  }
}
