// The TypeScript client tour (issue 16): every call goes through openapi-fetch's client typed by the paths that
// openapi-typescript generated from openapi/openapi.json, so tsc --strict checks each path, parameter, body and
// response against the document. Nothing here declares a type of the API by hand. `run` compiles this file and calls
// tour(BASE, EDITOR_KEY, ADMIN_KEY); any deviation throws, naming the step and what came back.
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/api.js";

type DonationRequest = components["schemas"]["DonationRequest"];
type DonationQuery = NonNullable<paths["/api/v1/donations"]["get"]["parameters"]["query"]>;

/** The filter the tour lists, walks, counts and exports by: values the bundled data has. */
const { category: categories, status: statuses } = {
  category: ["manpads", "small-arms", "anti-tank", "rocket-launcher"],
  status: ["announced", "committed"],
} satisfies DonationQuery;

/** How long one request may take, its body included; the slowest (an export) takes well under a second. */
const requestTimeoutMs = 60_000;

/** An amount with cents well inside a double's 15 significant digits: it must come back as the same number. */
const amount = 12_345_678_901.25;

export async function tour(base: string, editorKey: string, adminKey: string): Promise<void> {
  if (!base || !editorKey || !adminKey) throw new Error("usage: tour(BASE, EDITOR_KEY, ADMIN_KEY)");
  const anonymous = createClient<paths>({ baseUrl: base, fetch: timed });
  const editor = createClient<paths>({ baseUrl: base, fetch: timed, headers: { Authorization: `Bearer ${editorKey}` } });

  // Stats totals by donor over the filter: the donors the rest of the tour lists.
  const totals = await anonymous.GET("/api/v1/stats/totals", {
    params: { query: { group_by: "donor", category: categories, status: statuses } },
  });
  if (totals.error !== undefined) failed("GET /stats/totals", totals.response, totals.error);
  const rows = totals.data.items;
  const summed = rows.reduce((sum, row) => sum + row.count, 0);
  check(summed === totals.data.total.count,
    `the groups of /stats/totals add up to ${summed}, its total says ${totals.data.total.count}`);
  const donors = rows.flatMap((row) => (row.donor === undefined ? [] : [row.donor]));
  check(donors.length > 0 && summed > 1,
    `the bundled data has ${summed} donations of ${categories.join(", ")} in ${statuses.join(", ")}; the tour needs 2`);
  step("stats totals", `group_by=donor: ${rows.length} donors, ${totals.data.total.count} donations`);

  // One page with all three filters.
  const filter = { donor: donors, category: categories, status: statuses };
  const first = await anonymous.GET("/api/v1/donations", { params: { query: { ...filter, limit: 1 } } });
  if (first.error !== undefined) failed("GET /donations", first.response, first.error);
  const [template] = first.data.items;
  check(template !== undefined, "GET /donations with the filter answered no donation");
  check(donors.includes(template.donor), `GET /donations?donor=… answered a donation of ${template.donor}`);
  check(categories.some((c) => c === template.category),
    `GET /donations?category=… answered a donation of category ${template.category}`);
  check(statuses.some((s) => s === template.status),
    `GET /donations?status=… answered a donation with status ${template.status}`);
  check(first.data.next !== undefined,
    "the first page of one says there is no next page although the totals count more");
  step("list with filters",
    `donor, category, status: #${template.id} ${template.donor} → ${template.recipient} ${template.weapon_system}`);

  // Every page, one donation each, following the cursor in `next` to the end.
  const seen = new Set<number>();
  let dated = 0;
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await anonymous.GET("/api/v1/donations", {
      params: { query: cursor === undefined ? { ...filter, limit: 1 } : { ...filter, limit: 1, cursor } },
    });
    if (page.error !== undefined) failed(`GET /donations page ${pages + 1}`, page.response, page.error);
    pages++;
    for (const item of page.data.items) {
      check(!seen.has(item.id), `donation ${item.id} came twice while walking the pages`);
      seen.add(item.id);
      if (item.announced_on !== null) dated++;
    }
    // `next`, absent on the last page, is the next page's URL; the typed client takes its cursor parameter.
    const next = page.data.next;
    cursor = next === undefined ? undefined : new URL(next, base).searchParams.get("cursor") ?? undefined;
    check(next === undefined || cursor !== undefined, `next ${next} names no cursor`);
    check(pages <= summed + 1, `still paging after ${pages} pages`);
  } while (cursor !== undefined);
  const count = await anonymous.GET("/api/v1/stats/totals", { params: { query: { ...filter, group_by: "status" } } });
  if (count.error !== undefined) failed("GET /stats/totals", count.response, count.error);
  check(seen.size === count.data.total.count,
    `walking the pages gave ${seen.size} donations, /stats/totals counts ${count.data.total.count}`);
  step("walk every page", `${pages} pages of 1, ${seen.size} donations, as /stats/totals counts`);

  // A timeseries over the same filter counts the same donations, those with an announcement date (a donation whose
  // announcement no source dates is in no period).
  const timeseries = await anonymous.GET("/api/v1/stats/timeseries", {
    params: { query: { ...filter, interval: "year", split: "status" } },
  });
  if (timeseries.error !== undefined) failed("GET /stats/timeseries", timeseries.response, timeseries.error);
  const periods = timeseries.data.periods.length;
  let points = 0;
  for (const series of timeseries.data.series) {
    check(series.points.length === periods,
      `series ${series.key} has ${series.points.length} points for ${periods} periods`);
    points += series.points.reduce((sum, point) => sum + point.count, 0);
  }
  check(points === dated, `the timeseries counts ${points} donations, the pages ${dated} with an announcement date`);
  step("stats timeseries",
    `interval=year split=status: ${timeseries.data.series.length} series over ${periods} periods, ${points} donations`);

  // A source first: a donation's evidence cites sources by id. Its publication is known to the month only.
  const sources: number[] = [];
  for (const title of ["AidTracker TypeScript client tour: the announcement", "AidTracker TypeScript client tour: the delivery report"]) {
    const source = await editor.POST("/api/v1/sources", {
      body: { kind: "other", title, url: "https://example.org/aidtracker/typescript-tour", published_on: "2025-03" },
    });
    if (source.error !== undefined) failed("POST /sources", source.response, source.error);
    check(source.response.status === 201 && source.data.published_on === "2025-03",
      `POST /sources answered ${source.response.status}, published_on ${source.data.published_on}`);
    sources.push(source.data.id);
  }
  const [announcement, report] = sources;
  check(announcement !== undefined && report !== undefined, "two sources were not created");
  step("sources", `#${announcement} and #${report}, published 2025-03 (month precision)`);

  // Create with the editor key, on two pieces of evidence, announced in a month; read it back with its ETag.
  const request: DonationRequest = {
    donor: template.donor,
    recipient: template.recipient,
    weapon_system: template.weapon_system,
    quantity: 3,
    quantity_qualifier: "exact",
    status: "committed",
    announced_on: "2025-03",
    value_amount: amount,
    value_currency: "EUR",
    value_eur: amount,
    value_basis: "reported",
    evidence: [
      { source: announcement, quote: "three systems will be sent", supports: ["announcement", "quantity"] },
      { source: report, locator: "p. 2", credibility: 4, supports: ["commitment", "value"] },
    ],
  };
  const created = await editor.POST("/api/v1/donations", {
    params: { header: { "Idempotency-Key": crypto.randomUUID() } },
    body: request,
  });
  if (created.error !== undefined) failed("POST /donations", created.response, created.error);
  check(created.response.status === 201, `POST /donations answered ${created.response.status}`);
  const id = created.data.id;
  check(created.response.headers.get("Location")?.endsWith(`/api/v1/donations/${id}`) === true,
    `POST /donations sent Location ${created.response.headers.get("Location")}`);
  step("create", `#${id} with the editor key, on 2 pieces of evidence`);

  const read = await anonymous.GET("/api/v1/donations/{id}", { params: { path: { id } } });
  if (read.error !== undefined) failed(`GET /donations/${id}`, read.response, read.error);
  const etag = read.response.headers.get("ETag");
  check(etag !== null, `GET /donations/${id} sent no ETag`);
  check(read.data.value_amount === amount && read.data.value_eur === amount,
    `value_amount ${amount} came back as ${read.data.value_amount}, value_eur as ${read.data.value_eur}`);
  check(read.data.announced_on === "2025-03", `announced_on 2025-03 came back as ${read.data.announced_on}`);
  const cited = read.data.evidence.map((e) => e.source).join(",");
  check(cited === `${announcement},${report}`, `the evidence cites sources ${cited}, not ${announcement},${report}`);
  step("read back", `ETag ${etag}, value_amount ${read.data.value_amount} as sent, announced_on ${read.data.announced_on}, evidence from ${cited}`);

  // Update with If-Match, then again with the ETag that is now stale.
  const updated = await editor.PUT("/api/v1/donations/{id}", {
    params: { path: { id }, header: { "If-Match": etag } },
    body: { ...request, quantity: 4, notes: "Updated by the TypeScript client tour." },
  });
  if (updated.error !== undefined) failed(`PUT /donations/${id}`, updated.response, updated.error);
  const newEtag = updated.response.headers.get("ETag");
  check(updated.data.quantity === 4 && updated.data.version === read.data.version + 1,
    `PUT answered quantity ${updated.data.quantity}, version ${updated.data.version}`);
  check(newEtag !== null && newEtag !== etag, `PUT /donations/${id} sent ETag ${newEtag} after ${etag}`);
  step("update with If-Match", `version ${updated.data.version}, ETag ${newEtag}`);

  const stale = await editor.PUT("/api/v1/donations/{id}", {
    params: { path: { id }, header: { "If-Match": etag } },
    body: { ...request, quantity: 5 },
  });
  if (stale.error === undefined) {
    throw new Error(`PUT with the stale ETag ${etag} answered ${stale.response.status}, not 412`);
  }
  check(stale.response.status === 412 && stale.error.status === 412,
    `PUT with a stale ETag answered ${stale.response.status}: ${JSON.stringify(stale.error)}`);
  step("stale If-Match", `412 ${stale.error.title}: ${stale.error.detail}`);

  // A delivery in two instalments: the first leaves the donation partially delivered, the second (known to the month
  // only) completes it. Each needs the donation's current ETag and cites the delivery report.
  let current = newEtag;
  const instalments = [
    { delivered_on: "2025-04-02", quantity: 1, says: {}, expected: "partially_delivered" },
    { delivered_on: "2025-05", quantity: 3, says: { status: "delivered" as const }, expected: "delivered" },
  ];
  for (const [index, instalment] of instalments.entries()) {
    const added = await editor.POST("/api/v1/donations/{id}/deliveries", {
      params: { path: { id }, header: { "If-Match": current } },
      body: {
        delivered_on: instalment.delivered_on, quantity: instalment.quantity, quantity_qualifier: "exact", ...instalment.says,
        evidence: [{ source: report, quote: `instalment ${index + 1} arrived`, supports: ["delivery", "quantity"] }],
      },
    });
    if (added.error !== undefined) failed(`POST /donations/${id}/deliveries`, added.response, added.error);
    check(added.response.status === 201 && added.data.status === instalment.expected && added.data.deliveries.length === index + 1,
      `instalment ${index + 1} answered ${added.response.status}, status ${added.data.status}, ${added.data.deliveries.length} deliveries`);
    const next = added.response.headers.get("ETag");
    check(next !== null && next !== current, `POST /donations/${id}/deliveries sent ETag ${next} after ${current}`);
    current = next;
  }
  const delivered = await anonymous.GET("/api/v1/donations/{id}", { params: { path: { id } } });
  if (delivered.error !== undefined) failed(`GET /donations/${id}`, delivered.response, delivered.error);
  const dates = delivered.data.deliveries.map((d) => d.delivered_on).join(", ");
  check(delivered.data.status === "delivered" && delivered.data.quantity_delivered === 4 && dates === "2025-04-02, 2025-05",
    `after two instalments: status ${delivered.data.status}, quantity_delivered ${delivered.data.quantity_delivered}, dates ${dates}`);
  step("deliveries", `two instalments (${dates}): partially_delivered, then delivered; quantity_delivered 4`);

  // The exports of the filter: the CSV as a stream, the Parquet file as a blob.
  const codebook = await anonymous.GET("/api/v1/codebook");
  if (codebook.error !== undefined) failed("GET /codebook", codebook.response, codebook.error);
  const columns = codebook.data.columns.map((column) => column.name).join(",");
  const csv = await anonymous.GET("/api/v1/exports/donations.csv", { params: { query: filter }, parseAs: "stream" });
  if (csv.error !== undefined) failed("GET /exports/donations.csv", csv.response, csv.error);
  check(csv.data !== null, "GET /exports/donations.csv answered no body");
  const header = await firstLine(csv.data);
  check(header === columns, `the CSV header is ${header}, the codebook's columns ${columns}`);
  const csvRows = csv.response.headers.get("AidTracker-Row-Count");
  // The new donation, delivered now, is outside the filter's statuses: the export has the pages' donations.
  check(csvRows === String(seen.size), `the CSV export says ${csvRows} rows; the pages make ${seen.size}`);
  step("CSV export (stream)", `header as the codebook's ${codebook.data.columns.length} columns, ${csvRows} rows`);

  const parquet = await anonymous.GET("/api/v1/exports/donations.parquet", {
    params: { query: filter },
    parseAs: "blob",
  });
  if (parquet.error !== undefined) failed("GET /exports/donations.parquet", parquet.response, parquet.error);
  const bytes = new Uint8Array(await parquet.data.arrayBuffer());
  const magic = (from: number) => new TextDecoder().decode(bytes.subarray(from, from + 4));
  check(bytes.length > 8 && magic(0) === "PAR1" && magic(bytes.length - 4) === "PAR1",
    `the Parquet export (${bytes.length} bytes) does not begin and end with PAR1`);
  step("Parquet export (blob)", `${bytes.length} bytes, PAR1 at both ends`);

  // Import two rows as text/csv: the body goes as it is, not as a JSON string.
  const place = [template.donor, template.recipient, template.weapon_system];
  const file = [
    ["donor", "recipient", "weapon_system", "status", "announced_on", "quantity", "quantity_qualifier", "value_amount",
      "value_currency", "value_eur", "source", "quote"],
    [...place, "announced", "2025-04-01", "7", "exact", `${amount}`, "EUR", `${amount}`, `${announcement}`, "TypeScript tour import 1"],
    [...place, "committed", "2025-04-02", "", "undisclosed", "", "", "", `${announcement}`, "TypeScript tour import 2"],
  ].map((cells) => cells.join(",") + "\r\n").join("");
  const imported = await editor.POST("/api/v1/imports/donations", {
    body: file,
    bodySerializer: (body) => body,
    headers: { "Content-Type": "text/csv" },
  });
  if (imported.error !== undefined) failed("POST /imports/donations", imported.response, imported.error);
  check(imported.data.row_count === 2 && imported.data.last_donation === imported.data.first_donation + 1,
    `the import answered ${JSON.stringify(imported.data)}`);
  const row = await anonymous.GET("/api/v1/donations/{id}", { params: { path: { id: imported.data.first_donation } } });
  if (row.error !== undefined) failed(`GET /donations/${imported.data.first_donation}`, row.response, row.error);
  check(row.data.value_amount === amount && row.data.quantity === 7,
    `imported row 1 came back with value_amount ${row.data.value_amount}, quantity ${row.data.quantity}`);
  const { id: importId, first_donation: from, last_donation: to } = imported.data;
  step("CSV import (text/csv)", `import ${importId}: donations ${from}-${to}, amounts as sent`);
}

/** fetch with a deadline for each request, body included: a service that never answers fails the tour, not hangs it. */
function timed(request: Request): Promise<Response> {
  return fetch(request, { signal: AbortSignal.timeout(requestTimeoutMs) });
}

function step(name: string, detail: string): void {
  console.log(`typescript: ${name}: ${detail}`);
}

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Throws for a response the tour did not expect, with its status and problem. */
function failed(what: string, response: Response, problem: unknown): never {
  throw new Error(`${what} answered ${response.status}: ${JSON.stringify(problem)}`);
}

/** The stream's text up to its first line break, without reading the rest. */
async function firstLine(stream: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (value !== undefined) text += decoder.decode(value, { stream: !done });
      const end = text.search(/\r?\n/);
      if (end >= 0) return text.slice(0, end);
      if (done) return text;
    }
  } finally {
    await reader.cancel();
  }
}
