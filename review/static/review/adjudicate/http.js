// Requests to the adjudication endpoints (review/adjudication_views.py says what they take
// and answer). Every POST carries the CSRF token; every failure, refused or unanswered,
// throws an Error named "RequestFailed" carrying the one message to show ("detail"), the
// status (0 when the server never answered) and the rest of the error body (a 412's
// "rows": the sentences as they are now).

import { root } from "./dom.js";

const csrf = root.querySelector("[name=csrfmiddlewaretoken]").value;

const failed = (message, status = 0, data = {}) =>
  Object.assign(new Error(message), { name: "RequestFailed", status, data });
export const isFailure = (error) => error?.name === "RequestFailed";

// URLs come from the page: data-*-url attributes, with 0 where an id goes.
export const urlFor = (name, id) => root.dataset[name].replace("/0/", `/${id}/`);

// `fields` is an object, or a list of [name, value] pairs for repeated names.
export async function post(url, fields = {}, headers = {}) {
  let response;
  try {
    response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, Accept: "application/json", ...headers },
      body: new URLSearchParams(fields),
    });
  } catch {
    throw failed("Couldn't reach the server; check the connection and try again.");
  }
  const data = await response.json().catch(() => null); // a proxy's error page is not JSON
  if (response.ok && data !== null) return data;
  throw failed(data?.detail || `The server answered ${response.status}; try again.`,
    response.status, data ?? {});
}

export function parse(html) {
  const template = document.createElement("template");
  template.innerHTML = html.trim();
  return template.content;
}
