// samkart query page: YASGUI (vendored) set up for this endpoint, offline completion, safe links, readable errors.
"use strict";

(() => {
  const host = document.getElementById("yasgui");
  const configEl = document.getElementById("query-config");
  if (!host || !configEl || typeof Yasgui === "undefined") return;
  const config = JSON.parse(configEl.textContent);
  const { Yasqe, Yasr } = window;
  const endpoint = new URL("/sparql", location.href).href;

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) if (value != null) node.setAttribute(key, value);
    for (const child of children) node.append(child);
    return node;
  }

  const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

  /** The app's own page for an IRI, an http(s) IRI, or null: no other scheme (javascript:, data: …) is linked. */
  function safeHref(iri) {
    if (iri.startsWith(config.base)) return "/id/" + iri.slice(config.base.length);
    if (iri.startsWith(config.defPath)) return "/def/" + iri.slice(config.defPath.length);
    if (iri.startsWith(config.defHash)) return "/def#" + iri.slice(config.defHash.length);
    try {
      const url = new URL(iri);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (_) { return null; }
  }

  // The table's column resizer (the column-resizer package inside YASR) adds <style> elements, which the
  // Content-Security-Policy (style-src 'self') blocks and reports. Its rules are in query.css instead, so
  // those elements (marked by its "gripid" property) are dropped here before they reach the document.
  const appendChild = Element.prototype.appendChild;
  Element.prototype.appendChild = function (node) {
    return node instanceof HTMLStyleElement && "gripid" in node ? node : appendChild.call(this, node);
  };

  // Completion from this dataset only: our prefixes, classes and properties. The built-in completers of
  // classes and properties ask lov.linkeddata.es, and the prefix list can ask prefix.cc: neither is used.
  const prefixes = Object.entries(config.prefixes).map(([p, ns]) => `${p}: <${ns}>`).sort();
  Yasqe.forkAutocompleter("prefixes", { name: "samkart-prefixes", get: prefixes, persistenceId: null }, false);
  Yasqe.forkAutocompleter("class", { name: "samkart-classes", bulk: true, get: config.vocabulary.class, persistenceId: null }, false);
  Yasqe.forkAutocompleter("property", { name: "samkart-properties", bulk: true, get: config.vocabulary.property, persistenceId: null }, false);
  Yasqe.defaults.autocompleters.splice(0, Infinity, "samkart-prefixes", "variables", "samkart-classes", "samkart-properties");
  Yasqe.defaults.prefixCcApi = null;

  // Result tables: only our pages and http(s) IRIs become links, shown in this window.
  const Table = Yasr.plugins.table;
  Table.defaults.openIriInNewWindow = false;
  Table.prototype.getUriLinkFromBinding = function (binding, known) {
    const iri = binding.value;
    let shown = iri;
    for (const [prefix, ns] of Object.entries(known || {})) {
      if (iri.startsWith(ns) && iri.length > ns.length) { shown = `${prefix}:${iri.slice(ns.length)}`; break; }
    }
    const href = safeHref(iri);
    const text = escapeHtml(shown === iri && !this.persistentConfig.compact ? `<${iri}>` : shown);
    return href ? `<a class="iri" href="${escapeHtml(href)}" title="${escapeHtml(iri)}">${text}</a>`
      : `<span class="iri unlinked" title="${escapeHtml(iri)}">${text}</span>`;
  };

  // The service answers errors as {"error": "line 3, column 6: unknown prefix `foo:` …"}: show that text.
  Yasr.defaults.errorRenderers = [async (error) => {
    let message = error.text || error.statusText || "the query failed";
    try { message = JSON.parse(message).error || message; } catch (_) { /* not JSON */ }
    return el("div", { class: "query-error", role: "alert" }, el("strong", {}, "The query could not be run"),
      el("pre", {}, message));
  }];
  Yasr.defaults.prefixes = config.prefixes;

  const yasgui = new Yasgui(host, {
    requestConfig: { endpoint, method: "POST", acceptHeaderSelect: "application/sparql-results+json,*/*;q=0.9",
                     acceptHeaderGraph: "text/turtle,*/*;q=0.9" },
    copyEndpointOnNewTab: false,
    populateFromUrl: false, // never take (and run) a query or endpoint from the URL by itself
    autofocus: false,
    persistenceId: "samkart",
    endpointCatalogueOptions: { getData: () => [{ endpoint }], keys: [] },
    yasqe: { value: config.examples[0].text, persistenceId: null },
    yasr: { prefixes: config.prefixes, defaultPlugin: "table" },
  });
  const tab = () => yasgui.getTab();
  tab().setEndpoint && tab().setEndpoint(endpoint);

  // A query in the address (?query=…) is filled in, never run: the user presses Run.
  const given = new URLSearchParams(location.search).get("query");
  if (given) tab().getYasqe().setValue(given);

  for (const button of document.querySelectorAll("button.load")) {
    button.addEventListener("click", () => {
      const example = config.examples[Number(button.dataset.example)];
      tab().getYasqe().setValue(example.text);
      tab().getYasqe().focus();
      host.scrollIntoView({ block: "start" });
    });
  }
  // Names for the controls YASGUI draws without one (axe-core: label, select-name), now and after each redraw.
  const names = [[".tableSizer", "Rows per page"], [".tableFilter", "Filter query results"],
                 ["textarea", "SPARQL query"], [".tabsList input", "Tab name"]];
  const nameControls = () => {
    for (const [selector, name] of names) {
      for (const control of host.querySelectorAll(selector)) if (!control.hasAttribute("aria-label")) control.setAttribute("aria-label", name);
    }
  };
  nameControls();
  new MutationObserver(nameControls).observe(host, { childList: true, subtree: true });
  document.getElementById("plain-query").hidden = true;
  document.getElementById("editor-loading").hidden = true;
  window.samkartYasgui = yasgui; // for the browser tests and the curious
})();
