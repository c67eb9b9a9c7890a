// samkart named-query index (/api/queries): each form runs its query through the REST API and shows a table.
"use strict";

(() => {
  const configEl = document.getElementById("named-config");
  if (!configEl) return;
  const config = JSON.parse(configEl.textContent);
  const MAX_SHOWN = 500;

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) if (value != null) node.setAttribute(key, value);
    for (const child of children) node.append(child);
    return node;
  }

  /** The app's own page for an IRI, an http(s) IRI, or null: no other scheme becomes a link. */
  function safeHref(iri) {
    if (iri.startsWith(config.base)) return "/id/" + iri.slice(config.base.length);
    try {
      const url = new URL(iri);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (_) { return null; }
  }

  function cell(term) {
    const td = el("td");
    if (!term) return td;
    if (term.type === "uri") {
      const href = safeHref(term.value);
      td.append(href ? el("a", { href, title: term.value }, term.value) : el("span", { class: "unlinked" }, term.value));
    } else if (term.type === "bnode") {
      td.append(el("span", { class: "bnode" }, "_:" + term.value));
    } else {
      td.append(el("span", { class: "literal", lang: term["xml:lang"] || null }, term.value));
      if (term["xml:lang"]) td.append(" ", el("span", { class: "tag" }, "@" + term["xml:lang"]));
    }
    return td;
  }

  function table(data) {
    const vars = data.head.vars, rows = data.results.bindings;
    const head = el("tr", {}, ...vars.map((v) => el("th", { scope: "col" }, "?" + v)));
    const body = el("tbody", {}, ...rows.slice(0, MAX_SHOWN).map((row) => el("tr", {}, ...vars.map((v) => cell(row[v])))));
    const note = `${rows.length} row${rows.length === 1 ? "" : "s"}` + (rows.length > MAX_SHOWN ? ` (first ${MAX_SHOWN} shown)` : "");
    return [el("p", { role: "status" }, note),
            el("div", { class: "table-wrap" }, el("table", {}, el("caption", { class: "sr-only" }, "Results"), el("thead", {}, head), body))];
  }

  async function run(event) {
    if (event.submitter && event.submitter.name === "format") return; // a download: let the browser fetch it
    event.preventDefault();
    const form = event.target, out = form.nextElementSibling;
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(form)) if (String(value).trim() !== "") params.append(key, value);
    out.replaceChildren(el("p", { class: "loading", role: "status" }, "Running …"));
    try {
      const response = await fetch(`${form.getAttribute("action")}?${params}`, { headers: { Accept: "application/sparql-results+json" } });
      const text = await response.text();
      if (!response.ok) {
        let message = `${response.status} ${response.statusText}`;
        try { message = JSON.parse(text).error || message; } catch (_) { /* not JSON */ }
        out.replaceChildren(el("div", { class: "error", role: "alert" }, message));
        return;
      }
      out.replaceChildren(...table(JSON.parse(text)));
    } catch (error) {
      out.replaceChildren(el("div", { class: "error", role: "alert" }, `the service did not answer (${error.message})`));
    }
  }

  for (const form of document.querySelectorAll("form.named")) form.addEventListener("submit", run);
})();
