// samkart collaboration map: fetches /explore/data, lays the network out (deterministic force layout) and draws it as SVG.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const holder = $("explore-map");
  if (!holder) return;
  const SVG = "http://www.w3.org/2000/svg";
  const WIDTH = 1000, HEIGHT = 700, MARGIN = 30;
  const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#e6550d", "#17becf", "#8c564b", "#e377c2",
                   "#bcbd22", "#393b79", "#637939", "#843c39", "#7b4173", "#3182bd", "#31a354", "#756bb1"];
  const NO_SECTOR = "#8a8f98";
  const LABELLED = 10; // the best-connected organisations get a visible name
  const state = { data: null, view: null, colours: new Map(), transform: { x: 0, y: 0, k: 1 } };

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) if (value != null) node.setAttribute(key, value);
    for (const child of children) node.append(child);
    return node;
  }

  function svgEl(tag, attrs = {}, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs)) if (value != null) node.setAttribute(key, String(value));
    for (const child of children) node.append(child);
    return node;
  }

  /** Sector colours: a fixed palette in the order the data lists the sectors; no sector is grey. */
  function sectorColours(sectors) {
    const colours = new Map();
    sectors.forEach((sector, i) => colours.set(sector.id, sector.id ? PALETTE[i % PALETTE.length] : NO_SECTOR));
    return colours;
  }

  /** The edges with only subjects of ``type`` kept ("*" keeps all), weights recounted, empty edges dropped. */
  function edgesOfType(edges, type) {
    if (type === "*") return edges.map((e) => ({ ...e }));
    return edges.map((e) => {
      const subjects = e.subjects.filter((s) => s.type === type);
      return { ...e, subjects, weight: subjects.length };
    }).filter((e) => e.weight > 0);
  }

  /** What is shown for the chosen sector and subject type: nodes (with view degree) and edges. */
  function filtered(data, sector, type) {
    let edges = edgesOfType(data.edges, type);
    let nodes = data.nodes;
    if (type !== "*") {
      const linked = new Set(edges.flatMap((e) => [e.source, e.target]));
      nodes = nodes.filter((n) => linked.has(n.id));
    }
    if (sector !== "*") {
      const inSector = new Set(nodes.filter((n) => n.sector === sector).map((n) => n.id));
      edges = edges.filter((e) => inSector.has(e.source) || inSector.has(e.target));
      const shown = new Set([...inSector, ...edges.flatMap((e) => [e.source, e.target])]);
      nodes = nodes.filter((n) => shown.has(n.id));
    }
    const degree = new Map();
    for (const e of edges) for (const end of [e.source, e.target]) degree.set(end, (degree.get(end) || 0) + 1);
    nodes = nodes.map((n) => ({ ...n, viewDegree: type === "*" ? n.degree : degree.get(n.id) || 0 }));
    return { nodes, edges };
  }

  /** Fruchterman–Reingold with seeded positions (a circle, by index), a fixed number of rounds and a pull to the centre. */
  function layout(nodes, edges) {
    const n = nodes.length;
    if (!n) return;
    const index = new Map(nodes.map((node, i) => [node.id, i]));
    const links = edges.map((e) => [index.get(e.source), index.get(e.target), 0.7 + 0.3 * Math.log2(e.weight)]);
    const k = Math.sqrt((WIDTH * HEIGHT) / n) * 0.6;
    const x = new Float64Array(n), y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const angle = (2 * Math.PI * i) / n;
      x[i] = WIDTH / 2 + (WIDTH / 3) * Math.cos(angle);
      y[i] = HEIGHT / 2 + (HEIGHT / 3) * Math.sin(angle);
    }
    const rounds = n > 400 ? 120 : 300;
    const reach = (2 * k) * (2 * k);
    for (let round = 0; round < rounds; round++) {
      const dx = new Float64Array(n), dy = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          const vx = x[i] - x[j], vy = y[i] - y[j];
          const d2 = Math.max(vx * vx + vy * vy, 0.01);
          if (d2 > reach) continue; // far nodes do not push: loose nodes stay near the rest
          const f = (k * k) / d2;
          dx[i] += vx * f; dy[i] += vy * f; dx[j] -= vx * f; dy[j] -= vy * f;
        }
      }
      for (const [s, t, w] of links) {
        const vx = x[s] - x[t], vy = y[s] - y[t];
        const f = (Math.sqrt(vx * vx + vy * vy) / k) * w;
        dx[s] -= vx * f; dy[s] -= vy * f; dx[t] += vx * f; dy[t] += vy * f;
      }
      const limit = (WIDTH / 10) * (1 - round / rounds) + 0.5;
      for (let i = 0; i < n; i++) {
        dx[i] -= (x[i] - WIDTH / 2) * 0.08;
        dy[i] -= (y[i] - HEIGHT / 2) * 0.08;
        const d = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]) || 1;
        const step = Math.min(d, limit);
        x[i] += (dx[i] / d) * step; y[i] += (dy[i] / d) * step;
      }
    }
    fit(nodes, x, y);
  }

  /** Scale and centre the laid-out positions into the drawing area, keeping the aspect ratio. */
  function fit(nodes, x, y) {
    const minX = Math.min(...x), maxX = Math.max(...x), minY = Math.min(...y), maxY = Math.max(...y);
    const scale = Math.min((WIDTH - 2 * MARGIN) / (maxX - minX || 1), (HEIGHT - 2 * MARGIN) / (maxY - minY || 1));
    const offX = (WIDTH - (maxX - minX) * scale) / 2, offY = (HEIGHT - (maxY - minY) * scale) / 2;
    nodes.forEach((node, i) => {
      node.x = nodes.length === 1 ? WIDTH / 2 : offX + (x[i] - minX) * scale;
      node.y = nodes.length === 1 ? HEIGHT / 2 : offY + (y[i] - minY) * scale;
    });
  }

  const radius = (node) => 4 + 2.2 * Math.sqrt(node.viewDegree || 0);
  const strokeWidth = (edge) => Math.min(1 + 1.5 * Math.log2(edge.weight), 9);
  const tooltip = (node) => `${node.label} — ${node.sectorLabel || "Uten sektor"}`;

  function edgeElement(edge, i, byId) {
    const a = byId.get(edge.source), b = byId.get(edge.target);
    const ends = { x1: a.x.toFixed(1), y1: a.y.toFixed(1), x2: b.x.toFixed(1), y2: b.y.toFixed(1) };
    const names = `${a.label} – ${b.label}: ${edge.weight} shared`;
    return svgEl("g", { class: "edge-group", "data-index": i },
      svgEl("line", { ...ends, class: "edge-hit" }),
      svgEl("line", { ...ends, class: "edge", "data-source": edge.source, "data-target": edge.target,
                      "stroke-width": strokeWidth(edge).toFixed(2) }),
      svgEl("title", {}, names));
  }

  function nodeElement(node) {
    const circle = svgEl("circle", { class: "node", cx: node.x.toFixed(1), cy: node.y.toFixed(1),
                                     r: radius(node).toFixed(1), fill: state.colours.get(node.sector) || NO_SECTOR,
                                     "data-iri": node.id, "data-href": node.href, tabindex: 0, role: "link",
                                     "aria-label": tooltip(node) },
                         svgEl("title", {}, tooltip(node)));
    return circle;
  }

  function nodeLabels(nodes) {
    const ranked = [...nodes].sort((a, b) => b.viewDegree - a.viewDegree || a.label.localeCompare(b.label));
    const top = new Set(ranked.slice(0, LABELLED).filter((n) => n.viewDegree > 0).map((n) => n.id));
    return nodes.map((n) => svgEl("text", { class: top.has(n.id) ? "node-label top" : "node-label",
                                            x: (n.x + radius(n) + 2).toFixed(1), y: (n.y + 4).toFixed(1),
                                            "data-iri": n.id, "aria-hidden": "true" }, n.label));
  }

  /** Draw the current view into a fresh SVG (layout first, so it appears at once in its final shape). */
  function draw() {
    const sector = $("sector-filter").value, type = $("type-filter").value;
    const view = filtered(state.data, sector, type);
    layout(view.nodes, view.edges);
    state.view = view;
    const byId = new Map(view.nodes.map((n) => [n.id, n]));
    const svg = svgEl("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img", "aria-labelledby": "map-title" },
      svgEl("title", { id: "map-title" }, "Collaboration map: organisations joined by the subjects they share"));
    const viewport = svgEl("g", { class: "viewport" },
      svgEl("g", { class: "edges" }, ...view.edges.map((e, i) => edgeElement(e, i, byId))),
      svgEl("g", { class: "nodes" }, ...view.nodes.map(nodeElement)),
      svgEl("g", { class: "labels" }, ...nodeLabels(view.nodes)));
    svg.append(viewport);
    holder.replaceChildren(svg);
    applyTransform();
    wire(svg);
    const orgs = view.nodes.length, links = view.edges.length;
    $("explore-count").textContent = `${orgs} organisation${orgs === 1 ? "" : "s"}, ` +
      `${links} collaboration${links === 1 ? "" : "s"} shown`;
    showEdge(null);
    highlight();
  }

  function wire(svg) {
    svg.addEventListener("click", (event) => {
      const node = event.target.closest("circle.node");
      if (node) { window.location.href = node.dataset.href; return; }
      const group = event.target.closest(".edge-group");
      if (group) showEdge(state.view.edges[Number(group.dataset.index)], group);
    });
    svg.addEventListener("keydown", (event) => {
      const node = event.target.closest && event.target.closest("circle.node");
      if (node && event.key === "Enter") window.location.href = node.dataset.href;
    });
    svg.addEventListener("wheel", zoom, { passive: false });
    svg.addEventListener("pointerdown", startPan);
  }

  /** The panel for a clicked edge: the two organisations and the subjects they share, each linked. */
  function showEdge(edge, group) {
    const panel = $("edge-panel");
    for (const old of holder.querySelectorAll(".edge-group.selected")) old.classList.remove("selected");
    if (!edge) {
      panel.replaceChildren(el("p", { class: "muted" }, "Click a line to see what two organisations share."));
      return;
    }
    if (group) group.classList.add("selected");
    const byId = new Map(state.data.nodes.map((n) => [n.id, n]));
    const org = (id) => el("a", { href: byId.get(id).href, class: "org", title: id }, byId.get(id).label);
    const types = new Map((state.data.subjectTypes || []).map((t) => [t.id, t.label]));
    const items = edge.subjects.map((s) => el("li", {}, el("a", { href: s.href, title: s.id }, s.label),
                                               " ", el("span", { class: "tag" }, types.get(s.type) || s.type)));
    panel.replaceChildren(
      el("h2", {}, org(edge.source), " and ", org(edge.target)),
      el("p", { class: "muted" }, `${edge.weight} shared subject${edge.weight === 1 ? "" : "s"}`),
      el("ul", { class: "shared plain" }, ...items));
  }

  /** Mark the nodes whose label contains the search text (case-insensitive); the rest are dimmed. */
  function highlight() {
    const svg = holder.querySelector("svg");
    if (!svg) return;
    const wanted = $("search").value.trim().toLocaleLowerCase();
    const labels = new Map(state.view.nodes.map((n) => [n.id, n.label.toLocaleLowerCase()]));
    let found = 0;
    for (const item of svg.querySelectorAll("circle.node, text.node-label")) {
      const match = wanted !== "" && labels.get(item.dataset.iri).includes(wanted);
      item.classList.toggle("match", match);
      if (match && item.tagName === "circle") found += 1;
    }
    svg.classList.toggle("searching", wanted !== "");
    $("search").setAttribute("aria-description", wanted ? `${found} matching` : "");
  }

  function applyTransform() {
    const { x, y, k } = state.transform;
    const viewport = holder.querySelector("g.viewport");
    if (viewport) viewport.setAttribute("transform", `translate(${x.toFixed(1)} ${y.toFixed(1)}) scale(${k.toFixed(3)})`);
  }

  function svgPoint(svg, event) {
    const point = svg.createSVGPoint();
    point.x = event.clientX; point.y = event.clientY;
    return point.matrixTransform(svg.getScreenCTM().inverse());
  }

  /** Zoom with the wheel, around the pointer. */
  function zoom(event) {
    event.preventDefault();
    const svg = event.currentTarget, t = state.transform;
    const at = svgPoint(svg, event);
    const k = Math.min(8, Math.max(0.5, t.k * Math.exp(-event.deltaY * 0.0015)));
    t.x = at.x - ((at.x - t.x) / t.k) * k;
    t.y = at.y - ((at.y - t.y) / t.k) * k;
    t.k = k;
    applyTransform();
  }

  /** Drag the background to pan. */
  function startPan(event) {
    if (event.button !== 0 || event.target.closest("circle.node, .edge-group")) return;
    const svg = event.currentTarget, start = svgPoint(svg, event), from = { ...state.transform };
    const move = (e) => {
      const now = svgPoint(svg, e);
      state.transform.x = from.x + now.x - start.x;
      state.transform.y = from.y + now.y - start.y;
      applyTransform();
    };
    const stop = () => { svg.removeEventListener("pointermove", move); svg.classList.remove("panning"); };
    svg.classList.add("panning");
    svg.addEventListener("pointermove", move);
    svg.addEventListener("pointerup", stop, { once: true });
    svg.addEventListener("pointerleave", stop, { once: true });
  }

  /** A sector's colour dot; coloured through the CSSOM (the CSP forbids inline style attributes). */
  function swatch(colour) {
    const dot = el("span", { class: "swatch", "aria-hidden": "true" });
    dot.style.background = colour;
    return dot;
  }

  function fillControls(data) {
    const sectors = $("sector-filter"), types = $("type-filter");
    for (const s of data.sectors) sectors.append(el("option", { value: s.id }, s.label));
    for (const t of data.subjectTypes || []) types.append(el("option", { value: t.id }, t.label));
    $("explore-legend").replaceChildren(...data.sectors.map((s) => el("li", {}, swatch(state.colours.get(s.id)), s.label)));
    sectors.addEventListener("change", draw);
    types.addEventListener("change", draw);
    $("search").addEventListener("input", highlight);
  }

  async function load() {
    try {
      const response = await fetch("/explore/data", { headers: { Accept: "application/json" } });
      const body = await response.json();
      if (!response.ok) throw new Error(body.error || `the map data could not be loaded (${response.status})`);
      state.data = body;
      state.colours = sectorColours(body.sectors);
      fillControls(body);
      draw();
    } catch (error) {
      $("explore-count").textContent = "";
      $("explore-error").textContent = `Error: ${error.message}`;
      $("explore-error").hidden = false;
    }
  }

  // the controls filter as they change; the form is never sent (a listener, as the CSP forbids inline handlers)
  document.querySelector("form.explore-controls")?.addEventListener("submit", (event) => event.preventDefault());
  load();
})();
