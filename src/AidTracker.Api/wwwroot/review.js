// The review page: an editor reads a text into drafts (POST /api/v1/extractions); a reviewer lists the drafts
// (GET /api/v1/review: donations, sources, packages), reads each donation's quote in the text an extraction kept, and
// publishes or rejects each (a source before the donations citing it). Plain
// JavaScript over the API, nothing fetched from elsewhere. The key stays in this tab's session storage.
"use strict";

const KEY = "aidtracker-key";
const problemBox = document.getElementById("problem");
const statusLine = document.getElementById("status");
const extractions = new Map(); // source id → its extraction, or null when the source was not read by one

class Problem extends Error {
  constructor(problem) {
    const fields = Object.entries(problem.errors ?? {}).map(([field, messages]) => `${field}: ${messages.join(" ")}`);
    super(fields.length > 0 ? fields.join("\n") : problem.detail ?? problem.title ?? "The request failed.");
    this.status = problem.status;
  }
}

async function api(path, { method = "GET", body, etag } = {}) {
  const headers = { Accept: "application/json" };
  const key = sessionStorage.getItem(KEY);
  if (key) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (etag) headers["If-Match"] = etag;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const answer = await response.json();
  if (!response.ok) throw new Problem(answer);
  return answer;
}

function element(name, attributes = {}, text) {
  const node = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Runs an action with the page marked busy and its buttons off (a second click would send twice), and shows its problem, if any. */
async function busy(message, action) {
  document.body.dataset.state = "loading";
  const buttons = [...document.querySelectorAll("button:not(:disabled)")];
  for (const button of buttons) button.disabled = true;
  problemBox.hidden = true;
  statusLine.textContent = message;
  try {
    statusLine.textContent = (await action()) ?? "";
  } catch (error) {
    problemBox.textContent = error.message;
    problemBox.hidden = false;
    statusLine.textContent = "";
  } finally {
    for (const button of buttons) button.disabled = false;
    document.body.dataset.state = "ready";
  }
}

/** The text with each quote in a mark (a second quote of the same sentence shares the first's). */
function markedText(text, quotes) {
  const container = element("div", { class: "text", tabindex: "0" });
  let at = 0;
  for (const quote of [...quotes].sort((a, b) => a.start - b.start)) {
    if (quote.start < at) continue;
    container.append(text.slice(at, quote.start), element("mark", { class: quote.className ?? "", title: quote.title ?? "" }, text.slice(quote.start, quote.end)));
    at = quote.end;
  }
  container.append(text.slice(at));
  return container;
}

/** The quote marked in its paragraph, and the whole text, marked too, behind a disclosure. */
function inParagraph(text, quote) {
  const start = text.lastIndexOf("\n", quote.start) + 1;
  const next = text.indexOf("\n", quote.end);
  const end = next < 0 ? text.length : next;
  const paragraph = markedText(text.slice(start, end), [{ start: quote.start - start, end: quote.end - start }]);
  const whole = element("details");
  whole.append(element("summary", {}, "The whole text"), markedText(text, [quote]));
  const both = element("div");
  both.append(paragraph, whole);
  return both;
}

function quantity(record) {
  if (record.quantity == null) return "not stated";
  const qualifier = { exact: "", at_least: "at least ", approximate: "about " }[record.quantity_qualifier] ?? "";
  return `${qualifier}${record.quantity.toLocaleString("en")}`;
}

/** Fields as a card: a heading and name–value pairs, "not stated" where a value is null. */
function fieldCard(kind, id, state, heading, pairs) {
  const item = element("li", { class: "draft", "data-kind": kind, "data-id": String(id), "data-state": state });
  item.append(element("h3", {}, heading));
  const fields = element("dl");
  for (const [name, value] of [["Review", state], ...pairs]) fields.append(element("dt", {}, name), element("dd", {}, value ?? "not stated"));
  item.append(fields);
  return item;
}

/** A draft donation's fields, as a card: who gave what to whom, how many, how far it got and when. */
function card(id, record, state) {
  return fieldCard("donation", id, state, `#${id}: ${record.donor_name ?? record.donor} → ${record.recipient_name ?? record.recipient}, ${record.weapon_system_name ?? record.weapon_system}`, [
    ["Status", record.status.replace("_", " ")], ["Quantity", quantity(record)], ["Announced", record.announced_on], ["Committed", record.committed_on],
    ...(record.deliveries?.length ? [["Delivered", record.deliveries.map((d) => `${d.delivered_on ?? "date not stated"}: ${quantity(d)}`).join("; ")]] : []),
    ...(record.notes ? [["Notes", record.notes]] : [])]);
}

function showExtraction(extraction) {
  const target = document.getElementById("extraction");
  target.replaceChildren();
  target.dataset.source = extraction.id;
  const quotes = [
    ...extraction.drafts.map((d) => ({ ...d.quote, title: `draft #${d.id}` })),
    ...extraction.unresolved.map((u) => ({ ...u.quote, className: "unresolved", title: u.reason })),
  ];
  target.append(
    element("p", {}, `Source ${extraction.source.id} (a draft too): ${extraction.drafts.length} drafts, ${extraction.unresolved.length} sentences left unresolved (grey). Correct a draft with PUT /api/v1/donations/{id}; a reviewer publishes the source, then the drafts, below.`),
    markedText(extraction.text, quotes));
  const list = element("ol", { class: "drafts" });
  for (const draft of extraction.drafts) {
    const item = card(draft.id, draft.record, draft.review_state);
    item.append(element("p", {}, `Read from: ${draft.because.map((f) => `${f.field} “${f.words}”`).join(", ")}`));
    list.append(item);
  }
  for (const mention of extraction.unresolved) list.append(element("li", { class: "draft unresolved" }, `Unresolved (${mention.reason}): “${mention.quote.text}”`));
  target.append(list);
}

async function extractionOf(sourceId) {
  if (!extractions.has(sourceId)) {
    try {
      extractions.set(sourceId, await api(`/api/v1/extractions/${sourceId}`));
    } catch (error) {
      if (error.status !== 404) throw error;
      extractions.set(sourceId, null);
    }
  }
  return extractions.get(sourceId);
}

/** A draft source or package of the queue: the record's own fields (a donation citing it is published only after it). */
function recordCard(draft) {
  if (draft.kind === "source") {
    const s = draft.source;
    return fieldCard("source", s.id, draft.review_state, `Source #${s.id}: ${s.title ?? s.citation ?? s.url}`, [
      ["Kind", s.kind.replace("_", " ")], ["Publisher", s.publisher], ["Published", s.published_on], ["Address", s.url],
      ["Citation", s.citation], ["Reliability", s.reliability], ["Notes", s.notes]]);
  }
  const p = draft.package;
  return fieldCard("package", p.id, draft.review_state, `Package #${p.id}: ${p.title}`, [
    ["Donor", p.donor], ["Instrument", p.instrument.replaceAll("_", " ")], ["Announced", p.announced_on],
    ["Value", p.value_amount == null ? null : `${p.value_amount.toLocaleString("en")} ${p.value_currency}`], ["Notes", p.notes]]);
}

/** A draft of the queue: its card (a donation's with each piece of evidence's quote in its text, when an extraction kept it), and the decision. */
async function queueItem(draft) {
  const item = draft.kind === "donation" ? card(draft.id, draft.record, draft.review_state) : recordCard(draft);
  if (draft.review_comment) item.append(element("p", {}, `Last review: ${draft.review_comment}`));
  item.append(element("p", {}, `Last changed by ${draft.changed_by} at ${draft.changed_at}`));
  for (const evidence of draft.record?.evidence ?? []) {
    const source = draft.sources.find((s) => s.id === evidence.source);
    item.append(element("p", {}, `Source ${evidence.source}: ${source?.title ?? source?.citation ?? source?.url ?? ""} (${evidence.supports.join(", ")})`));
    const extraction = await extractionOf(evidence.source);
    const read = extraction?.drafts.find((d) => d.id === draft.id);
    if (read) item.append(inParagraph(extraction.text, read.quote));
    else if (evidence.quote) item.append(element("blockquote", {}, evidence.quote));
  }
  const decide = element("div", { class: "decide" });
  const comment = element("textarea", { rows: "2", placeholder: "Required to reject" });
  const publish = element("button", { type: "button", class: "publish" }, "Publish");
  const reject = element("button", { type: "button", class: "reject" }, "Reject");
  const send = (decision) => busy(`Deciding on ${draft.kind} ${draft.id}…`, async () => {
    const body = { decision };
    if (comment.value.trim()) body.comment = comment.value.trim();
    const decided = await api(`/api/v1/review/${draft.kind}s/${draft.id}`, { method: "POST", body, etag: draft.etag });
    await loadQueue();
    return `The ${draft.kind} ${draft.id} is ${decided.review_state}.`;
  });
  publish.addEventListener("click", () => send("publish"));
  reject.addEventListener("click", () => send("reject"));
  const label = element("label", {}, "Comment");
  label.append(comment);
  decide.append(label, publish, reject);
  item.append(decide);
  return item;
}

async function loadQueue() {
  const queue = document.getElementById("queue");
  extractions.clear();
  const page = await api("/api/v1/review?limit=50");
  const items = [];
  for (const draft of page.items) items.push(await queueItem(draft));
  queue.replaceChildren(...items);
  if (items.length === 0) queue.append(element("li", { class: "empty" }, "No drafts are waiting."));
  return `${page.items.length} drafts${page.next ? " shown; more wait after them" : ""}.`;
}

document.getElementById("key").addEventListener("submit", (event) => {
  event.preventDefault();
  sessionStorage.setItem(KEY, event.target.elements.key.value.trim());
  event.target.elements.key.value = "";
  statusLine.textContent = "Key set for this tab.";
});

document.getElementById("extract").addEventListener("submit", (event) => {
  event.preventDefault();
  const fields = event.target.elements;
  const source = { kind: fields.kind.value, published_on: fields.published_on.value.trim() };
  for (const name of ["publisher", "title", "url", "citation"]) if (fields[name].value.trim()) source[name] = fields[name].value.trim();
  busy("Reading the text…", async () => {
    const extraction = await api("/api/v1/extractions", { method: "POST", body: { text: fields.text.value, source } });
    showExtraction(extraction);
    return `Read into ${extraction.drafts.length} drafts, waiting for a reviewer.`;
  });
});

document.getElementById("load").addEventListener("click", () => busy("Loading the drafts…", loadQueue));
