// Talking to the workspace endpoints (annotations/views.py says what they take and answer).
// Every request carries the CSRF token. Every failure, whether the server refused or never
// answered, becomes a RequestFailed carrying the one message to show ("detail") and the
// rest of the error body ("current" on a 412, "existing" for a source already there).

import { root } from "./dom.js";

const csrf = root.querySelector("[name=csrfmiddlewaretoken]").value;

export class RequestFailed extends Error {
  constructor(message, { status = 0, data = {} } = {}) {
    super(message);
    this.status = status;
    this.data = data;
  }
}

// URLs come from the page (data-*-url attributes with 0 where the id goes).
export const urlFor = (name, id) => root.dataset[name].replace("/0/", `/${id}/`);

async function send(method, url, { form, headers = {} } = {}) {
  const init = {
    method,
    credentials: "same-origin",
    headers: { "X-CSRFToken": csrf, Accept: "application/json", ...headers },
  };
  if (form !== undefined) init.body = new URLSearchParams(form);
  let response;
  try {
    response = await fetch(url, init);
  } catch {
    throw new RequestFailed(
      "Couldn't reach the server. Your input is kept: check the connection and try again.",
    );
  }
  const data = await response.json().catch(() => null); // a proxy's error page is not JSON
  if (response.ok && data !== null) return data;
  const message = data?.detail || `The server answered ${response.status}; try again.`;
  throw new RequestFailed(message, { status: response.status, data: data ?? {} });
}

export const get = (url) => send("GET", url);
export const post = (url, form = {}, headers = {}) => send("POST", url, { form, headers });

export function parse(html) {
  const template = document.createElement("template");
  template.innerHTML = html.trim();
  return template.content;
}
