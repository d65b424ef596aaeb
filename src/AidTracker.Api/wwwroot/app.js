// The AidTracker dashboard: plain JavaScript over the public API, no build step and nothing fetched from elsewhere.
// The filters live in the page's query string; every figure is drawn from the API's answer for them.
"use strict";

const FILTERS = ["donor", "recipient", "category", "status", "from", "to", "q"];
const TOP = 15;
const PAGE_SIZE = 25;
const SVG = "http://www.w3.org/2000/svg";
const form = document.getElementById("filters");
const table = { pages: [], index: 0 };

class Problem extends Error {
  constructor(problem) {
    const fields = Object.entries(problem.errors ?? {}).map(([field, messages]) => `${field}: ${messages.join(" ")}`);
    super(fields.length > 0 ? fields.join("\n") : problem.detail ?? problem.title ?? "The request failed.");
  }
}

async function api(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await response.json();
  if (!response.ok) throw new Problem(body);
  return body;
}

/** The filters in the page's address, without empty values. */
function currentFilters() {
  const params = new URLSearchParams(location.search);
  const filters = new URLSearchParams();
  for (const name of FILTERS) {
    const value = params.get(name)?.trim();
    if (value) filters.set(name, value);
  }
  return filters;
}

function withFilters(path, extra = {}) {
  const params = currentFilters();
  for (const [name, value] of Object.entries(extra)) params.set(name, value);
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

function fillForm() {
  const filters = currentFilters();
  for (const name of FILTERS) form.elements[name].value = filters.get(name) ?? "";
}

function format(number) {
  return Number(number).toLocaleString("en");
}

function element(name, attributes = {}, text) {
  const node = name.startsWith("svg:") ? document.createElementNS(SVG, name.slice(4)) : document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Horizontal bars, one row per item: label, bar(s), value(s). Each row carries data-key and data-value(s). */
function drawBars(figure, rows, series, describe) {
  const plot = figure.querySelector(".plot");
  plot.replaceChildren();
  if (rows.length === 0) {
    plot.append(element("p", { class: "empty" }, "Nothing matches these filters."));
    return;
  }
  const rowHeight = series.length * 16 + 10;
  const width = 640, labelWidth = 190, valueWidth = 110;
  const max = Math.max(1, ...rows.flatMap((row) => series.map((s) => row[s.field])));
  const svg = element("svg:svg", { viewBox: `0 0 ${width} ${rows.length * rowHeight + 4}`, role: "img", "aria-label": describe });
  svg.append(element("svg:title", {}, describe));
  rows.forEach((row, i) => {
    const y = i * rowHeight + 4;
    const group = element("svg:g", { class: "row", "data-key": row.key });
    for (const s of series) group.setAttribute(`data-${s.field.replaceAll("_", "-")}`, row[s.field]);
    group.append(element("svg:text", { x: labelWidth - 6, y: y + rowHeight / 2, "text-anchor": "end", "dominant-baseline": "middle" }, row.label));
    series.forEach((s, j) => {
      const barWidth = ((width - labelWidth - valueWidth) * row[s.field]) / max;
      const barY = y + j * 16;
      group.append(element("svg:rect", { class: `bar ${s.className ?? ""}`, x: labelWidth, y: barY, width: Math.max(barWidth, row[s.field] > 0 ? 1 : 0), height: 13 }));
      group.append(element("svg:text", { x: labelWidth + barWidth + 4, y: barY + 7, "dominant-baseline": "middle" }, `${format(row[s.field])}${series.length > 1 ? ` ${s.name}` : ""}`));
    });
    svg.append(group);
  });
  plot.append(svg);
  if (series.length > 1) {
    const legend = element("ul", { class: "legend" });
    for (const s of series) {
      const item = element("li");
      item.append(element("span", { class: `swatch ${s.className ?? ""}` }), s.name);
      legend.append(item);
    }
    plot.append(legend);
  }
}

/** Vertical bars over time: one per period, every period present. */
function drawTimeline(figure, points, describe) {
  const plot = figure.querySelector(".plot");
  plot.replaceChildren();
  if (points.every((p) => p.count === 0)) {
    plot.append(element("p", { class: "empty" }, "No deliveries are recorded for these filters."));
    return;
  }
  const width = 640, height = 220, bottom = 36, left = 8;
  const max = Math.max(1, ...points.map((p) => p.count));
  const step = (width - left) / points.length;
  const labelEvery = Math.ceil(points.length / 8);
  const svg = element("svg:svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": describe });
  svg.append(element("svg:title", {}, describe));
  svg.append(element("svg:line", { class: "axis", x1: left, x2: width, y1: height - bottom, y2: height - bottom }));
  points.forEach((point, i) => {
    const barHeight = ((height - bottom - 16) * point.count) / max;
    const x = left + i * step;
    const group = element("svg:g", { class: "row", "data-key": point.period, "data-count": point.count });
    const bar = element("svg:rect", { class: "bar delivered", x: x + step * 0.1, y: height - bottom - barHeight, width: Math.max(step * 0.8, 1), height: barHeight });
    bar.append(element("svg:title", {}, `${point.period}: ${format(point.count)}`));
    group.append(bar);
    if (points.length <= 24 && point.count > 0) {
      group.append(element("svg:text", { x: x + step / 2, y: height - bottom - barHeight - 4, "text-anchor": "middle" }, format(point.count)));
    }
    if (i % labelEvery === 0) {
      group.append(element("svg:text", { x: x + step / 2, y: height - bottom + 16, "text-anchor": "middle" }, point.period));
    }
    svg.append(group);
  });
  plot.append(svg);
}

function note(figure, text) {
  figure.querySelector(".note").textContent = text;
}

function describeTop(title, rows, field) {
  return `${title}: ${rows.map((row) => `${row.label} ${format(row[field])}`).join(", ")}`;
}

async function drawCharts() {
  const [byDonor, byCategory, deliveries, pledged] = await Promise.all([
    api(withFilters("/api/v1/stats/totals", { group_by: "donor", sort: "-count,donor" })),
    api(withFilters("/api/v1/stats/totals", { group_by: "category", sort: "-count,category" })),
    api(withFilters("/api/v1/stats/timeseries", { date: "delivered_on", interval: "month" })),
    api(withFilters("/api/v1/stats/pledged-vs-delivered", { by: "donor" })),
  ]);

  document.getElementById("summary").textContent =
    `${format(byDonor.total.count)} donations match these filters, from ${format(byDonor.items.length)} donors.`;

  const donorFigure = document.getElementById("by-donor");
  const donors = byDonor.items.slice(0, TOP).map((item) => ({ key: item.donor, label: item.donor_name, count: item.count }));
  note(donorFigure, byDonor.items.length > TOP ? `Number of donations; the ${TOP} largest of ${format(byDonor.items.length)} donors.` : "Number of donations.");
  drawBars(donorFigure, donors, [{ field: "count", name: "donations" }], describeTop("Donations by donor", donors, "count"));

  const categoryFigure = document.getElementById("by-category");
  const categories = byCategory.items.map((item) => ({ key: item.category, label: item.category, count: item.count }));
  note(categoryFigure, "Number of donations.");
  drawBars(categoryFigure, categories, [{ field: "count", name: "donations" }], describeTop("Donations by category", categories, "count"));

  const deliveriesFigure = document.getElementById("deliveries");
  const points = deliveries.series[0]?.points ?? [];
  note(deliveriesFigure, "Donations delivered, by month of delivery.");
  drawTimeline(deliveriesFigure, points, `Deliveries by month: ${points.filter((p) => p.count > 0).map((p) => `${p.period} ${p.count}`).join(", ")}`);

  const pledgedFigure = document.getElementById("pledged");
  const ranked = [...pledged.items].sort((a, b) => (b.outstanding_count + b.delivered_count) - (a.outstanding_count + a.delivered_count) || a.key.localeCompare(b.key));
  const pledgedRows = ranked.slice(0, TOP).map((item) => ({ key: item.key, label: item.name, outstanding_count: item.outstanding_count, delivered_count: item.delivered_count }));
  note(pledgedFigure, ranked.length > TOP
    ? `Donations announced or committed but not delivered, against delivered; the ${TOP} largest of ${format(ranked.length)} donors. Cancelled ones are left out.`
    : "Donations announced or committed but not delivered, against delivered. Cancelled ones are left out.");
  drawBars(pledgedFigure, pledgedRows,
    [{ field: "outstanding_count", name: "pledged" }, { field: "delivered_count", name: "delivered", className: "delivered" }],
    `Pledged against delivered: ${pledgedRows.map((r) => `${r.label} ${r.outstanding_count} pledged, ${r.delivered_count} delivered`).join("; ")}`);

  const csv = withFilters("/api/v1/exports/donations.csv");
  for (const figure of [donorFigure, categoryFigure, pledgedFigure]) figure.querySelector(".download").href = csv;
  const status = currentFilters().get("status");
  deliveriesFigure.querySelector(".download").href = withFilters("/api/v1/exports/donations.csv", status ? {} : { status: "delivered" });
  document.querySelector("#donations .download").href = csv;
}

function cell(row, text, className) {
  const td = element("td", className ? { class: className } : {}, text ?? "");
  row.append(td);
  return td;
}

async function drawTable(url) {
  const page = await api(url);
  const body = document.querySelector("#donations tbody");
  body.replaceChildren();
  for (const item of page.items) {
    const row = element("tr", { "data-id": item.id });
    cell(row, item.id, "number");
    cell(row, item.donor_name);
    cell(row, item.recipient_name);
    cell(row, item.weapon_system_name);
    cell(row, item.category);
    cell(row, item.quantity === null ? item.quantity_qualifier : `${item.quantity_qualifier === "exact" ? "" : `${item.quantity_qualifier.replace("_", " ")} `}${format(item.quantity)}`, "number");
    cell(row, item.status);
    cell(row, item.announced_on ?? "");
    cell(row, item.deliveries.map((delivery) => delivery.delivered_on ?? "undated").join(", "));
    // The sources it cites, three lines at most; the quotes are the cell's tooltip, and the exports have them in full.
    const source = cell(row, "", "source");
    const text = element("span", { class: "clamp" }, [...new Set(item.evidence.map((evidence) => evidence.source_title))].join("; "));
    text.title = item.evidence.map((evidence) => evidence.quote).filter((quote) => quote).join("\n");
    source.append(text);
    body.append(row);
  }
  if (page.items.length === 0) {
    const row = element("tr");
    cell(row, "No donation matches these filters.").setAttribute("colspan", "10");
    body.append(row);
  }
  table.pages[table.index] = url;
  table.pages[table.index + 1] = page.next;
  document.getElementById("next").disabled = !page.next;
  document.getElementById("previous").disabled = table.index === 0;
  document.getElementById("page").textContent = `Page ${table.index + 1}`;
}

async function turnPage(delta) {
  table.index += delta;
  document.body.dataset.state = "loading";
  await show(() => drawTable(table.pages[table.index]));
}

async function show(work) {
  const problem = document.getElementById("problem");
  try {
    await work();
    problem.hidden = true;
    document.body.dataset.state = "ready";
    performance.mark("aidtracker-drawn"); // the bench reads it: navigation start to everything drawn
  } catch (error) {
    problem.textContent = error instanceof Problem
      ? `The API refused these filters. ${error.message}`
      : `The API could not be reached or answered oddly: ${error.message}`;
    problem.hidden = false;
    document.body.dataset.state = "error";
  }
}

/** Draws the view that the address names. The first load also fetches the filter choices, alongside. */
async function load(choices = Promise.resolve()) {
  fillForm();
  document.body.dataset.state = "loading";
  table.pages = [];
  table.index = 0;
  await show(() => Promise.all([choices.then(fillForm), drawCharts(), drawTable(withFilters("/api/v1/donations", { limit: PAGE_SIZE }))]));
}

async function fillChoices() {
  const [countries, codebook] = await Promise.all([api("/api/v1/countries"), api("/api/v1/codebook")]);
  const list = document.getElementById("country-codes");
  for (const country of countries.items) list.append(element("option", { value: country.code }, country.name));
  for (const name of ["category", "status"]) {
    const column = codebook.columns.find((c) => c.name === name);
    for (const value of column.allowed_values.split(", ")) form.elements[name].append(element("option", { value }, value));
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const params = new URLSearchParams();
  for (const name of FILTERS) {
    const value = form.elements[name].value.trim();
    if (value) params.set(name, value);
  }
  const query = params.toString();
  history.pushState(null, "", query ? `?${query}` : location.pathname);
  load();
});

form.addEventListener("reset", (event) => {
  event.preventDefault();
  history.pushState(null, "", location.pathname);
  load();
});

document.getElementById("next").addEventListener("click", () => turnPage(1));
document.getElementById("previous").addEventListener("click", () => turnPage(-1));

window.addEventListener("popstate", () => load());
load(fillChoices());
