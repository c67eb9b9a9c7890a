// samkart query page: runs SPARQL and named queries against this app and renders the results.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const editor = $("query");
  if (!editor) return;
  const config = JSON.parse($("config").textContent);
  const MAX_SHOWN = 2000;
  const SCROLL = matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth";
  const RESULT_FORMATS = [["json", "JSON"], ["xml", "XML"], ["csv", "CSV"], ["tsv", "TSV"]];
  const GRAPH_FORMATS = [["ttl", "Turtle"], ["nt", "N-Triples"], ["jsonld", "JSON-LD"], ["rdf", "RDF/XML"]];

  /** The query form: SELECT, ASK, CONSTRUCT or DESCRIBE (comments, strings and IRIs ignored). */
  function queryForm(text) {
    const bare = text.replace(/"""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>"{}|^`\\\s]*>|#[^\n]*/g, " ");
    const found = bare.match(/\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b/i);
    return found ? found[1].toUpperCase() : "SELECT";
  }

  /** The app's own page for an IRI, or null when it is not one of ours. */
  function localHref(iri) {
    if (iri.startsWith(config.base)) return "/id/" + iri.slice(config.base.length);
    if (iri.startsWith(config.defPath)) return "/def/" + iri.slice(config.defPath.length);
    if (iri.startsWith(config.defHash)) return "/def#" + iri.slice(config.defHash.length);
    if (iri === config.defPath.slice(0, -1)) return "/def";
    return null;
  }

  /** A short form of an IRI from the prefix map (the longest namespace wins). */
  function shortIri(iri) {
    let best = null;
    for (const [prefix, ns] of Object.entries(config.prefixes)) {
      if (iri.startsWith(ns) && iri.length > ns.length && (!best || ns.length > best[1].length)) best = [prefix, ns];
    }
    return best ? `${best[0]}:${iri.slice(best[1].length)}` : iri;
  }

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) if (value != null) node.setAttribute(key, value);
    for (const child of children) node.append(child);
    return node;
  }

  function link(iri, text) {
    const local = localHref(iri);
    return el("a", { href: local || iri, title: iri, class: local ? null : "external" }, text);
  }

  /** The IRI in this row that a label column names: ?xLabel → ?x, ?label → the row's only IRI. */
  function labelTarget(variable, row, vars) {
    const match = variable.match(/^(.*?)_?[Ll]abel$/);
    if (!match) return null;
    if (match[1] && row[match[1]] && row[match[1]].type === "uri") return row[match[1]].value;
    if (match[1]) return null;
    const iris = vars.filter((v) => row[v] && row[v].type === "uri");
    return iris.length === 1 ? row[iris[0]].value : null;
  }

  function cell(term, variable, row, vars) {
    const td = el("td");
    if (!term) return td;
    td.className = term.type === "literal" ? "lit" : "iri";
    if (term.type === "uri") {
      td.append(link(term.value, shortIri(term.value)));
    } else if (term.type === "bnode") {
      td.append(el("span", { class: "bnode" }, "_:" + term.value));
    } else {
      const lang = term["xml:lang"];
      const target = labelTarget(variable, row, vars);
      const text = el("span", { class: "literal", lang: lang || null }, term.value);
      td.append(target ? link(target, text) : text);
      if (lang) td.append(" ", el("span", { class: "tag" }, "@" + lang));
      else if (term.datatype) td.append(" ", el("span", { class: "tag" }, shortIri(term.datatype)));
    }
    return td;
  }

  function reset() {
    for (const id of ["error", "results", "graph", "downloads"]) $(id).hidden = true;
    $("results").replaceChildren();
  }

  function showError(message) {
    $("error").replaceChildren(el("strong", {}, "Error: "), message);
    $("error").hidden = false;
    $("status").textContent = "The query failed.";
  }

  function showDownloads(path, params, formats) {
    const nav = $("downloads");
    nav.replaceChildren("Download: ");
    formats.forEach(([format, name], i) => {
      const query = new URLSearchParams(params);
      query.set("format", format);
      if (i) nav.append(" · ");
      nav.append(el("a", { href: `${path}?${query}`, download: "", "data-format": format }, name));
    });
    nav.hidden = false;
  }

  function renderTable(data, millis) {
    const table = $("results");
    if (typeof data.boolean === "boolean") {
      $("status").textContent = `ASK: ${data.boolean ? "yes (true)" : "no (false)"} · ${millis} ms`;
      return;
    }
    const vars = data.head.vars;
    const rows = data.results.bindings;
    const head = el("tr", {}, ...vars.map((v) => el("th", { scope: "col" }, "?" + v)));
    const body = el("tbody");
    for (const row of rows.slice(0, MAX_SHOWN)) body.append(el("tr", {}, ...vars.map((v) => cell(row[v], v, row, vars))));
    table.replaceChildren(el("caption", { class: "sr-only" }, "Query results"), el("thead", {}, head), body);
    table.hidden = false;
    const shown = rows.length > MAX_SHOWN ? ` (first ${MAX_SHOWN} shown; download for all)` : "";
    $("status").textContent = `${rows.length} row${rows.length === 1 ? "" : "s"}${shown} · ${millis} ms`;
  }

  /** Fetch, then render JSON results, a graph as text, or the error's message. */
  async function fetchAndShow(url, options, graph) {
    reset();
    $("status").textContent = "Running…";
    const started = performance.now();
    let response;
    try {
      response = await fetch(url, options);
    } catch (err) {
      showError(`the service did not answer (${err.message})`);
      return false;
    }
    const millis = Math.round(performance.now() - started);
    const text = await response.text();
    if (!response.ok) {
      let message = `${response.status} ${response.statusText}`;
      try { message = JSON.parse(text).error || message; } catch (_) { /* not JSON */ }
      showError(message);
      return false;
    }
    if (graph) {
      $("graph").textContent = text || "# (no triples)";
      $("graph").hidden = false;
      const lines = text.split("\n").filter((l) => l.trim() && !l.startsWith("@prefix")).length;
      $("status").textContent = `${lines} line${lines === 1 ? "" : "s"} of Turtle · ${millis} ms`;
    } else {
      renderTable(JSON.parse(text), millis);
    }
    return true;
  }

  async function runQuery(event) {
    if (event) event.preventDefault();
    const query = editor.value;
    const graph = ["CONSTRUCT", "DESCRIBE"].includes(queryForm(query));
    const accept = graph ? "text/turtle" : "application/sparql-results+json";
    const ok = await fetchAndShow("/sparql", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: accept },
      body: new URLSearchParams({ query }),
    }, graph);
    if (ok) showDownloads("/sparql", { query }, graph ? GRAPH_FORMATS : RESULT_FORMATS);
  }

  async function runNamed(event) {
    event.preventDefault();
    const form = event.target;
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(form)) if (String(value).trim() !== "") params.append(key, value);
    const path = form.getAttribute("action");
    const ok = await fetchAndShow(`${path}?${params}`, { headers: { Accept: "application/sparql-results+json" } }, false);
    if (ok) showDownloads(path, params, RESULT_FORMATS);
    $("results-title").scrollIntoView({ behavior: SCROLL, block: "start" });
  }

  function loadExample(name) {
    if (name in config.examples) editor.value = config.examples[name];
    $("example").value = name;
  }

  $("query-form").addEventListener("submit", runQuery);
  editor.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) runQuery(event);
  });
  $("example").addEventListener("change", (event) => loadExample(event.target.value));
  for (const form of document.querySelectorAll("form.named")) form.addEventListener("submit", runNamed);
  for (const button of document.querySelectorAll("button.load")) {
    button.addEventListener("click", () => {
      loadExample(button.dataset.example);
      editor.focus();
      editor.scrollIntoView({ behavior: SCROLL, block: "center" });
    });
  }
  const given = new URLSearchParams(location.search).get("query");
  if (given) {
    editor.value = given;
    runQuery();
  }
})();
