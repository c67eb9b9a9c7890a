// samkart profile pages: opening a source shows the cited lines, read from the source document on request.
"use strict";

(() => {
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) if (value != null) node.setAttribute(key, value);
    for (const child of children) node.append(child);
    return node;
  }

  /** The cited lines as an ordered list: context lines dimmed, names marked (all text set as text). */
  function renderCitation(data) {
    if (!data.available) {
      return el("p", { class: "muted" }, "The source text is not available on this server; the statement rests on " +
        `${data.title}, ${data.from === data.to ? "line " + data.from : "lines " + data.from + "–" + data.to}.`);
    }
    const list = el("ol", { class: "source-lines", start: String(data.lines[0].n) });
    for (const line of data.lines) {
      const item = el("li", { value: String(line.n), class: line.cited ? "cited" : "context" });
      for (const [text, marked] of line.parts) item.append(marked ? el("mark", {}, text) : text);
      list.append(item);
    }
    const more = data.more ? el("p", { class: "muted" }, `… and ${data.more} more lines.`) : "";
    return el("div", {}, list, more, el("p", { class: "muted small" },
      el("a", { href: data.page }, "Open as a page"), " · read from the source document just now, not stored in the data"));
  }

  async function load(details) {
    const box = details.querySelector(".cited");
    if (details.dataset.loaded) return;
    details.dataset.loaded = "1";
    box.replaceChildren(el("p", { class: "loading", role: "status" }, "Reading the source …"));
    try {
      const response = await fetch(details.dataset.src + "&format=json", { headers: { Accept: "application/json" } });
      const data = await response.json();
      if (!response.ok) throw new Error(data.error || response.statusText);
      box.replaceChildren(renderCitation(data));
    } catch (error) {
      delete details.dataset.loaded;
      box.replaceChildren(el("p", { class: "error" }, `Could not read the source: ${error.message}`));
    }
  }

  for (const details of document.querySelectorAll("details.evidence[data-src]")) {
    details.addEventListener("toggle", () => { if (details.open) load(details); });
  }
})();
