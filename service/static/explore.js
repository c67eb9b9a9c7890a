// samkart collaboration map: fetches /explore/data, lays the network out (deterministic force layout) and draws it as SVG.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const holder = $("explore-map");
  if (!holder) return;
  const SVG = "http://www.w3.org/2000/svg";
  const WIDTH = 1000, HEIGHT = 700, MARGIN = 30;
  // Okabe–Ito: seven colours that stay apart for colour-blind readers too. The seven sectors with the most
  // organisations get one each; the smaller sectors share "other sectors"; no sector is pale grey.
  const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442"];
  const OTHER = "#6b6b6b", NO_SECTOR = "#d4d4d4";
  const LABELLED = 14; // at most this many names are always shown (the best connected that fit); the rest on hover
  const state = { data: null, view: null, colours: new Map(), groups: new Map(), transform: { x: 0, y: 0, k: 1 },
                  focus: new URLSearchParams(location.search).get("focus") };

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

  /** Sector colours: the largest sectors (by organisations) one palette colour each, the rest one shared colour. */
  function sectorColours(data) {
    const counts = new Map();
    for (const n of data.nodes) if (n.sector) counts.set(n.sector, (counts.get(n.sector) || 0) + 1);
    const ranked = data.sectors.filter((s) => s.id).sort((a, b) => (counts.get(b.id) || 0) - (counts.get(a.id) || 0)
      || a.label.localeCompare(b.label));
    const colours = new Map(), groups = new Map();
    ranked.forEach((s, i) => {
      colours.set(s.id, i < PALETTE.length ? PALETTE[i] : OTHER);
      groups.set(s.id, i < PALETTE.length ? s.id : "other");
    });
    for (const s of data.sectors) if (!s.id) { colours.set(s.id, NO_SECTOR); groups.set(s.id, ""); }
    return { colours, groups, ranked, counts };
  }

  /** A link only to the app's own pages or http(s) IRIs (the server sends null for any other scheme). */
  function go(href) {
    if (typeof href === "string" && (href.startsWith("/") && !href.startsWith("//") || /^https?:\/\//i.test(href))) {
      window.location.href = href;
    }
  }

  function linkTo(href, text, attrs = {}) {
    return href ? el("a", { href, ...attrs }, text)
      : el("span", { ...attrs, class: `unlinked ${attrs.class || ""}`.trim() }, text);
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
  const widthFor = (weight) => Math.min(1 + 1.5 * Math.log2(weight), 9);
  const strokeWidth = (edge) => widthFor(edge.weight);
  const tooltip = (node) => `${node.label} — ${node.sectorLabel || "Uten sektor"} — ${node.viewDegree} partner${node.viewDegree === 1 ? "" : "s"}`;

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
    const group = state.groups.get(node.sector);
    const circle = svgEl("circle", { class: `node${group === "other" ? " other" : ""}${node.sector ? "" : " none"}`,
                                     cx: node.x.toFixed(1), cy: node.y.toFixed(1),
                                     r: radius(node).toFixed(1), fill: state.colours.get(node.sector) || NO_SECTOR,
                                     "data-iri": node.id, "data-href": node.href || "", tabindex: node.href ? 0 : null,
                                     role: node.href ? "link" : "img", "aria-label": tooltip(node) },
                         svgEl("title", {}, tooltip(node)));
    return circle;
  }

  /** Where a name would sit (beside its circle, right or left, or above or below), as a box. */
  function labelBox(node, where, width) {
    const r = radius(node), h = 15;
    const spots = { right: [node.x + r + 3, node.y - h / 2, "start"], left: [node.x - r - 3 - width, node.y - h / 2, "start"],
                    above: [node.x - width / 2, node.y - r - 2 - h, "start"], below: [node.x - width / 2, node.y + r + 2, "start"] };
    const [x, y] = spots[where];
    return { x, y, w: width, h };
  }

  const overlaps = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

  /** Names for the best-connected nodes, each placed where it overlaps no other name or circle; the rest
   *  get a name that shows on hover or focus only. Widths are estimated from the text (11 px system font). */
  function nodeLabels(nodes) {
    const ranked = [...nodes].sort((a, b) => b.viewDegree - a.viewDegree || a.label.localeCompare(b.label));
    const circles = nodes.map((n) => ({ x: n.x - radius(n), y: n.y - radius(n), w: 2 * radius(n), h: 2 * radius(n), id: n.id }));
    const placed = [], shown = new Map();
    for (const node of ranked) {
      if (shown.size >= LABELLED || node.viewDegree === 0) break;
      const width = node.label.length * 7.1;
      for (const where of ["right", "left", "above", "below"]) {
        const box = labelBox(node, where, width);
        const inside = box.x >= 0 && box.x + box.w <= WIDTH && box.y >= 0 && box.y + box.h <= HEIGHT;
        if (inside && !placed.some((p) => overlaps(p, box)) && !circles.some((c) => c.id !== node.id && overlaps(c, box))) {
          placed.push(box); shown.set(node.id, box); break;
        }
      }
    }
    return nodes.map((n) => {
      const box = shown.get(n.id) || labelBox(n, "right", n.label.length * 7.1);
      return svgEl("text", { class: shown.has(n.id) ? "node-label top" : "node-label", x: box.x.toFixed(1),
                             y: (box.y + 10).toFixed(1), "data-iri": n.id, "aria-hidden": "true" }, n.label);
    });
  }

  /** Draw the current view into a fresh SVG (layout first, so it appears at once in its final shape). */
  function draw() {
    const sector = $("sector-filter").value, type = $("type-filter").value;
    const all = filtered(state.data, sector, type);
    const view = { nodes: all.nodes.filter((n) => n.viewDegree > 0), edges: all.edges };
    layout(view.nodes, view.edges);
    state.view = view;
    showIsolated(all.nodes.filter((n) => n.viewDegree === 0));
    const byId = new Map(view.nodes.map((n) => [n.id, n]));
    const svg = svgEl("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "group", "aria-labelledby": "map-title" },
      svgEl("title", { id: "map-title" }, "Collaboration map: organisations joined by the subjects they share"));
    const viewport = svgEl("g", { class: "viewport" },
      svgEl("g", { class: "edges" }, ...view.edges.map((e, i) => edgeElement(e, i, byId))),
      svgEl("g", { class: "nodes" }, ...view.nodes.map(nodeElement)),
      svgEl("g", { class: "labels" }, ...nodeLabels(view.nodes)));
    svg.append(viewport);
    holder.replaceChildren(svg);
    applyTransform();
    wire(svg);
    const orgs = view.nodes.length, links = view.edges.length, alone = all.nodes.length - orgs;
    $("explore-count").classList.remove("loading");
    $("explore-count").textContent = `${orgs} organisation${orgs === 1 ? "" : "s"}, ` +
      `${links} collaboration${links === 1 ? "" : "s"} shown` + (alone ? `; ${alone} with no partner listed apart` : "");
    showEdge(null);
    highlight();
    showFocus();
  }

  /** The organisations of the view that share nothing with another, as a list beside the map. */
  function showIsolated(nodes) {
    const sorted = [...nodes].sort((a, b) => a.label.localeCompare(b.label));
    $("isolated-list").replaceChildren(...sorted.map((n) => el("li", {}, linkTo(n.href, n.label, { title: n.id }))));
    $("isolated").hidden = sorted.length === 0;
    $("isolated-title").textContent = `Not linked to others (${sorted.length})`;
  }

  /** With ?focus=IRI: that organisation and its partners stand out, the rest fade. */
  function showFocus() {
    const svg = holder.querySelector("svg");
    if (!svg || !state.focus) return;
    const near = new Set([state.focus]);
    for (const e of state.view.edges) {
      if (e.source === state.focus) near.add(e.target);
      if (e.target === state.focus) near.add(e.source);
    }
    if (near.size === 1 && !state.view.nodes.some((n) => n.id === state.focus)) return;
    svg.classList.add("focusing");
    for (const item of svg.querySelectorAll("circle.node, text.node-label")) {
      item.classList.toggle("near", near.has(item.dataset.iri));
      item.classList.toggle("focus", item.dataset.iri === state.focus);
    }
    for (const line of svg.querySelectorAll("line.edge")) {
      line.classList.toggle("near", line.dataset.source === state.focus || line.dataset.target === state.focus);
    }
  }

  function wire(svg) {
    svg.addEventListener("click", (event) => {
      const node = event.target.closest("circle.node");
      if (node) { go(node.dataset.href); return; }
      const group = event.target.closest(".edge-group");
      if (group) showEdge(state.view.edges[Number(group.dataset.index)], group);
    });
    svg.addEventListener("keydown", (event) => {
      const node = event.target.closest && event.target.closest("circle.node");
      if (node && event.key === "Enter") go(node.dataset.href);
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
    const org = (id) => linkTo(byId.get(id).href, byId.get(id).label, { class: "org", title: id });
    const types = new Map((state.data.subjectTypes || []).map((t) => [t.id, t.label]));
    const items = edge.subjects.map((s) => el("li", {}, linkTo(s.href, s.label, { title: s.id }),
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
  function fillControls(data) {
    const sectors = $("sector-filter"), types = $("type-filter");
    for (const s of data.sectors) sectors.append(el("option", { value: s.id }, s.label));
    for (const t of data.subjectTypes || []) types.append(el("option", { value: t.id }, t.label));
    drawLegend(data);
    sectors.addEventListener("change", draw);
    types.addEventListener("change", draw);
    $("search").addEventListener("input", highlight);
  }

  /** A small SVG swatch (a circle of the sector colour): colours set as SVG attributes, never as inline CSS. */
  function swatch(fill, extra = "") {
    return svgEl("svg", { class: `swatch ${extra}`.trim(), width: 14, height: 14, viewBox: "0 0 14 14", "aria-hidden": "true" },
      svgEl("circle", { cx: 7, cy: 7, r: 6, fill, class: extra }));
  }

  function drawLegend(data) {
    const { ranked, counts } = state.palette;
    const items = ranked.slice(0, PALETTE.length).map((s) => el("li", {}, swatch(state.colours.get(s.id)),
      `${s.label} (${counts.get(s.id) || 0})`));
    const rest = ranked.slice(PALETTE.length);
    if (rest.length) {
      const total = rest.reduce((sum, s) => sum + (counts.get(s.id) || 0), 0);
      items.push(el("li", { title: rest.map((s) => s.label).join(", ") }, swatch(OTHER, "other"),
        `${rest.length} other sectors (${total})`));
    }
    const none = data.sectors.find((s) => !s.id);
    if (none) items.push(el("li", {}, swatch(NO_SECTOR, "none"), `${none.label} (${data.nodes.filter((n) => !n.sector).length})`));
    $("explore-legend").replaceChildren(...items);
    if (rest.length) {
      $("explore-legend").after(el("p", { class: "muted small" }, "Other sectors: " + rest.map((s) => s.label).join(", ") + "."));
    }
    // node size: partners; line width: shared subjects
    const sizes = [1, 5, 15], weights = [1, 3, 8];
    const scale = svgEl("svg", { viewBox: "0 0 220 96", width: 220, height: 96, role: "img",
                                 "aria-label": "Circle size: number of partners (1, 5, 15). Line width: shared subjects (1, 3, 8)." });
    let x = 12;
    for (const d of sizes) {
      const r = radius({ viewDegree: d });
      scale.append(svgEl("circle", { cx: x + r, cy: 22, r, class: "scale-node" }),
                   svgEl("text", { x: x + r, y: 52, class: "scale-text" }, String(d)));
      x += 2 * r + 26;
    }
    scale.append(svgEl("text", { x: x - 4, y: 26, class: "scale-text start" }, "partners"));
    x = 12;
    for (const w of weights) {
      scale.append(svgEl("line", { x1: x, y1: 74, x2: x + 34, y2: 74, class: "scale-edge", "stroke-width": widthFor(w).toFixed(1) }),
                   svgEl("text", { x: x + 17, y: 92, class: "scale-text" }, String(w)));
      x += 48;
    }
    scale.append(svgEl("text", { x: x - 4, y: 78, class: "scale-text start" }, "shared"));
    $("explore-scale").replaceChildren(scale);
  }

  async function load() {
    try {
      const response = await fetch("/explore/data", { headers: { Accept: "application/json" } });
      const body = await response.json();
      if (!response.ok) throw new Error(body.error || `the map data could not be loaded (${response.status})`);
      state.data = body;
      state.palette = sectorColours(body);
      state.colours = state.palette.colours;
      state.groups = state.palette.groups;
      fillControls(body);
      draw();
    } catch (error) {
      $("explore-count").classList.remove("loading");
      $("explore-count").textContent = "";
      $("explore-error").textContent = `Error: ${error.message}`;
      $("explore-error").hidden = false;
    }
  }

  $("explore-form").addEventListener("submit", (event) => event.preventDefault());
  load();
})();
