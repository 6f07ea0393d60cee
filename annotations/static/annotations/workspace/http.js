// Talking to the server: every request carries the CSRF token, and every failure becomes
// a RequestFailed whose message can be shown as it is.

import { root } from "./dom.js";

const csrf = root.querySelector("[name=csrfmiddlewaretoken]").value;

export class RequestFailed extends Error {}

// URLs come from the page (data-*-url attributes with 0 where the id goes).
export const urlFor = (name, id) => root.dataset[name].replace("/0/", `/${id}/`);

export async function request(method, url, { json, form, headers = {} } = {}) {
  const init = {
    method,
    credentials: "same-origin",
    headers: { "X-CSRFToken": csrf, Accept: "application/json, text/html", ...headers },
  };
  if (json !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(json);
  } else if (form !== undefined) {
    init.body = new URLSearchParams(form);
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch {
    throw new RequestFailed(
      "Couldn't reach the server. Your input is kept: check the connection and try again.",
    );
  }
  if (response.redirected && new URL(response.url).pathname === root.dataset.loginUrl) {
    throw new RequestFailed("You were signed out. Sign in again in another tab, then try again.");
  }
  return response;
}

export async function problem(response) {
  // DRF and our views answer {"detail": "..."} or {"field": ["..."]}; flatten either.
  try {
    const data = await response.json();
    const parts = [];
    const walk = (value) => {
      if (typeof value === "string") parts.push(value);
      else if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === "object") {
        if (value.detail) walk(value.detail);
        else Object.entries(value).forEach(([k, v]) => k !== "current" && k !== "existing" && walk(v));
      }
    };
    walk(data);
    return { message: parts.join(" ") || `The server answered ${response.status}.`, data };
  } catch {
    return { message: `The server answered ${response.status}; try again.`, data: {} };
  }
}

export function parse(html) {
  const template = document.createElement("template");
  template.innerHTML = html.trim();
  return template.content;
}
