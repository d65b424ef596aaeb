// The integration tour through Stoplight Prism's validating proxy (issue 16): every operation of the OpenAPI document,
// its success cases and the errors that can happen there, with the response checked against the document by a tool
// AidTracker did not write. Prism runs without --errors, so it forwards every request, even one outside the document,
// and reports what it found in the sl-violations response header.
//   node clients/prism/tour.mjs DOCUMENT PROXY_BASE SERVICE_BASE EDITOR_KEY ADMIN_KEY [OPERATION_ID]
// A case fails when the status is not the expected one, when Prism reports any response violation (an undeclared
// status, a body off its schema, a content type or a header), or when it reports a request violation on a case that
// does not say why its request is outside the document (badRequest). A case marked `around` goes straight to the
// service, because Prism cannot carry its request faithfully; only its status is checked. The tour fails when an
// operation of the document has no case through the proxy, or no success case. With OPERATION_ID, only that
// operation's cases run and coverage is not checked (the run script's self-test).
import { readFileSync } from "node:fs";
import { request } from "node:http";

const [documentPath, proxy, service, editorKey, adminKey, onlyOperation] = process.argv.slice(2);
if (!adminKey) {
  console.error("usage: node tour.mjs DOCUMENT PROXY_BASE SERVICE_BASE EDITOR_KEY ADMIN_KEY [OPERATION_ID]");
  process.exit(2);
}
// How long one request may take, its body included, before its case fails; the slowest (a body past 1 MiB through
// Prism) takes a few hundred milliseconds.
const timeoutMs = 60_000;
// An editor whose writes are drafts (scripts/check-clients exports its key): the review cases need a draft.
const keys = { editor: editorKey, admin: adminKey, drafter: process.env.AIDTRACKER_DRAFTER_KEY, wrong: "atk_not-a-key-of-this-service" };
if (!keys.drafter) {
  console.error("tour: AIDTRACKER_DRAFTER_KEY is not set (an editor key made without --publishes yes)");
  process.exit(2);
}

// Values the tour's own cases create and later ones use: ids, ETags, a page cursor.
const s = {};
const run = Date.now().toString(36); // keeps ids unique when the tour runs twice on one database
const countryCode = `X${run.slice(-2).toUpperCase().replace(/[^A-Z]/g, "Q")}Q`.slice(0, 3);
const weaponId = `tour-${run}`;
const releaseId = `tour-${run}`;

// A donation rests on evidence citing sources by id: the tour's own source, created by its first Sources case. The
// getter reads that id when the body is sent, not when the cases are declared. Announced in a month (a partial date).
const donation = (changes = {}) => ({
  donor: "POL", recipient: "UKR", weapon_system: "fgm-148-javelin", quantity: 20, quantity_qualifier: "exact",
  status: "announced", announced_on: "2024-01", value_amount: 1250000.5, value_currency: "EUR",
  get evidence() {
    return [
      { source: s.sourceId, quote: "twenty launchers", supports: ["announcement", "quantity"] },
      { source: s.otherSourceId, locator: "p. 3", credibility: 3, supports: ["value"] },
    ];
  },
  ...changes,
});
const source = (changes = {}) => ({ kind: "official", title: "AidTracker's Prism tour", url: "https://example.org/tour", published_on: "2024-01", ...changes });
const aidPackage = (changes = {}) => ({ donor: "POL", title: "Prism tour package", instrument: "stockpile_drawdown", announced_on: "2024", ...changes });
const delivery = (changes = {}) => ({
  delivered_on: "2024-02-15", quantity: 5, quantity_qualifier: "exact",
  get evidence() { return [{ source: s.otherSourceId, quote: "five launchers arrived", supports: ["delivery", "quantity"] }]; },
  ...changes,
});
const country = (changes = {}) => ({ code: countryCode, name: "Tour Land", kind: "state", eu_member: false, nato_member: false, ...changes });
const weapon = (changes = {}) => ({ id: weaponId, name: "Tour Launcher", category: "other", description: "Made by the Prism tour.", ...changes });
// Past Limits:MaxBodyBytes (1 MiB) in one text field, as Prism parses a JSON body and writes it again: whitespace
// padding around a valid body would not reach the service. The field is then past its maxLength.
const huge = "x".repeat(1024 * 1024 + 1);
const tooLarge = "a text field past its maxLength, to pass 1 MiB";
// What every JSON write can meet besides its own errors: no key (401), an editor key where an admin key is needed
// (403), a body that is not JSON (415) and one past 1 MiB (413). `big` is the body with one text field made huge.
const writeErrors = ({ method, path, key, headers, body, big }) => [
  { method, path, headers, json: body, status: 401, badRequest: "no key" },
  ...(key === "admin" ? [{ method, path, headers, key: "editor", json: body, status: 403 }] : []),
  { method, path, headers, key, body: "x=1", type: "text/plain", status: 415, badRequest: "not JSON" },
  { method, path, headers, key, json: big, status: 413, badRequest: tooLarge },
];
// An import row cites a source by id (the tour's own), with an optional quote.
// A created record's id and ETag, kept in s as NAME and NAMEETag.
const saveCreated = (name) => (r, body) => { s[name] = body.id; s[`${name}ETag`] = r.headers.get("etag"); };
// What a versioned record (a source, a package) meets once created: its list, conditional reads, writes and history,
// and the deletion of a spare one. s[id] and s[spare] are the ids (saveCreated), `body` makes a valid body, `changed`
// is the body of the update.
const versionedRecord = ({ path, id, spare, body, changed }) => {
  const one = () => `${path}/${s[id]}`, theSpare = () => `${path}/${s[spare]}`, etag = `${id}ETag`, list = `${path}ETag`;
  const ifMatch = () => ({ "If-Match": s[etag] });
  return [
    { method: "GET", path, status: 200, save: (r) => (s[list] = r.headers.get("etag")) },
    { method: "GET", path, headers: () => ({ "If-None-Match": s[list] }), status: 304 },
    { method: "GET", path: `${path}?colour=red`, status: 400, badRequest: "unknown query parameter" },
    { method: "GET", path: one, status: 200, save: (r) => (s[etag] = r.headers.get("etag")) },
    { method: "GET", path: one, headers: () => ({ "If-None-Match": s[etag] }), status: 304 },
    { method: "GET", path: `${path}/999999999`, status: 404 },
    { method: "GET", path: `${path}/abc`, status: 400, badRequest: "id is not an integer" },
    { method: "PUT", path: one, key: "editor", headers: ifMatch, json: changed, status: 200, save: (r) => (s[etag] = r.headers.get("etag")) },
    { method: "PUT", path: one, key: "editor", headers: { "If-Match": stale }, json: body(), status: 412 },
    { method: "PUT", path: one, key: "editor", json: body(), status: 428, badRequest: "no If-Match, which the document requires" },
    { method: "PUT", path: `${path}/999999999`, key: "editor", headers: { "If-Match": "*" }, json: body(), status: 404 },
    ...writeErrors({ method: "PUT", path: one, key: "editor", headers: ifMatch, body: body(), big: body({ notes: huge }) }),
    { method: "GET", path: () => `${one()}/history`, status: 200, save: (r) => (s[`${id}History`] = r.headers.get("etag")) },
    { method: "GET", path: () => `${one()}/history`, headers: () => ({ "If-None-Match": s[`${id}History`] }), status: 304 },
    { method: "GET", path: `${path}/999999999/history`, status: 404 },
    { method: "DELETE", path: theSpare, key: "editor", headers: { "If-Match": stale }, status: 412 },
    { method: "DELETE", path: theSpare, key: "editor", status: 428, badRequest: "no If-Match, which the document requires" },
    { method: "DELETE", path: `${path}/999999999`, key: "editor", headers: { "If-Match": "*" }, status: 404 },
    { method: "DELETE", path: theSpare, key: "editor", headers: () => ({ "If-Match": s[`${spare}ETag`] }), status: 204 },
    { method: "GET", path: theSpare, status: 410 },
    { method: "PUT", path: theSpare, key: "editor", headers: { "If-Match": "*" }, json: body(), status: 410 },
    { method: "DELETE", path: theSpare, key: "editor", headers: { "If-Match": "*" }, status: 410 },
  ];
};
const csv = (rows) => () => ["donor,recipient,weapon_system,status,announced_on,source,quote", ...rows.map((row) => row.replace("SOURCE", s.sourceId))].join("\n") + "\n";
const goodCsv = csv(["DEU,UKR,fgm-148-javelin,announced,2024-02,SOURCE,Tour import", "FRA,UKR,fim-92-stinger,committed,2024-02-02,SOURCE,Tour import"]);
const otherCsv = csv(["DEU,UKR,fgm-148-javelin,announced,2024-03-01,SOURCE,Tour import again"]);
const badCsv = csv(["DEU,DEU,no-such-system,sometime,2024-13-01,,"]);
const stale = '"999999.999999"'; // a well-formed ETag that is never current for a record of the tour
const money = "98765432109876.54";

// Each case: method, path (or a function of s), expected status, and optionally key (editor, admin, wrong), headers,
// json (a body sent as application/json, or a function of s giving it), body + type (a raw body, or a function of s), badRequest (why the request is outside the
// document, so that Prism's request violations are expected), around (why it bypasses Prism), save(response, body),
// which keeps what later cases need in s.
const cases = [
  // Health
  { method: "GET", path: "/health/live", status: 200 },
  { method: "GET", path: "/health/ready", status: 200 },
  { method: "GET", path: "/health/live?verbose=1", status: 400, badRequest: "unknown query parameter" },
  { method: "GET", path: "/health/ready", key: "wrong", status: 401, badRequest: "a key that is no key of this service" },

  // Countries
  { method: "GET", path: "/api/v1/countries", status: 200, save: (r) => (s.countriesETag = r.headers.get("etag")) },
  { method: "GET", path: "/api/v1/countries", headers: () => ({ "If-None-Match": s.countriesETag }), status: 304 },
  { method: "GET", path: "/api/v1/countries?sort=name", status: 400, badRequest: "unknown query parameter" },
  { method: "GET", path: "/api/v1/countries", key: "wrong", status: 401, badRequest: "a key that is no key of this service" },
  { method: "GET", path: "/api/v1/countries/POL", status: 200, save: (r) => (s.polETag = r.headers.get("etag")) },
  { method: "GET", path: "/api/v1/countries/pol", status: 200 },
  { method: "GET", path: "/api/v1/countries/POL", headers: () => ({ "If-None-Match": s.polETag }), status: 304 },
  { method: "GET", path: "/api/v1/countries/QQQ", status: 404 },
  { method: "GET", path: "/api/v1/countries/POL?lang=de", status: 400, badRequest: "unknown query parameter" },
  { method: "POST", path: "/api/v1/countries", key: "admin", json: country(), status: 201 },
  { method: "POST", path: "/api/v1/countries", key: "admin", json: country(), status: 409 },
  { method: "POST", path: "/api/v1/countries", key: "admin", json: country({ code: "1", name: "" }), status: 400, badRequest: "code and name off their schema" },
  { method: "POST", path: "/api/v1/countries", key: "admin", body: '{"code": "XQ', type: "application/json", status: 400, badRequest: "not JSON" },
  ...writeErrors({ method: "POST", path: "/api/v1/countries", key: "admin", body: country(), big: country({ name: huge }) }),
  { method: "PUT", path: `/api/v1/countries/${countryCode}`, key: "admin", json: country({ name: "Tour Land, renamed" }), status: 200 },
  { method: "PUT", path: `/api/v1/countries/${countryCode.toLowerCase()}`, key: "admin", json: country({ name: "Tour Land, by its lower-case code" }), status: 200 },
  { method: "PUT", path: `/api/v1/countries/${countryCode}`, key: "admin", json: country({ code: "POL" }), status: 400 },
  { method: "PUT", path: `/api/v1/countries/${countryCode}`, key: "admin", json: country({ iso2: "PL" }), status: 409 },
  { method: "PUT", path: "/api/v1/countries/QQQ", key: "admin", json: country({ code: "QQQ" }), status: 404 },
  { method: "PUT", path: `/api/v1/countries/${countryCode}`, key: "admin", json: country({ kind: "planet" }), status: 400, badRequest: "kind off its enum" },
  ...writeErrors({ method: "PUT", path: `/api/v1/countries/${countryCode}`, key: "admin", body: country(), big: country({ name: huge }) }),

  // Weapon systems
  { method: "GET", path: "/api/v1/weapon-systems", status: 200, save: (r) => (s.weaponsETag = r.headers.get("etag")) },
  { method: "GET", path: "/api/v1/weapon-systems?category=tank&category=manpads", status: 200 },
  { method: "GET", path: "/api/v1/weapon-systems", headers: () => ({ "If-None-Match": s.weaponsETag }), status: 304 },
  { method: "GET", path: "/api/v1/weapon-systems?category=spaceship", status: 400, badRequest: "category off its enum" },
  { method: "GET", path: "/api/v1/weapon-systems?name=javelin", status: 400, badRequest: "unknown query parameter" },
  { method: "GET", path: "/api/v1/weapon-systems/fgm-148-javelin", status: 200, save: (r) => (s.javelinETag = r.headers.get("etag")) },
  { method: "GET", path: "/api/v1/weapon-systems/FGM-148-Javelin", status: 200 },
  { method: "GET", path: "/api/v1/weapon-systems/fgm-148-javelin", headers: () => ({ "If-None-Match": s.javelinETag }), status: 304 },
  { method: "GET", path: "/api/v1/weapon-systems/no-such-system", status: 404 },
  { method: "POST", path: "/api/v1/weapon-systems", key: "admin", json: weapon(), status: 201 },
  { method: "POST", path: "/api/v1/weapon-systems", key: "admin", json: weapon(), status: 409 },
  { method: "POST", path: "/api/v1/weapon-systems", key: "admin", json: weapon({ id: "Not a slug!", category: "spaceship" }), status: 400, badRequest: "id off its pattern" },
  ...writeErrors({ method: "POST", path: "/api/v1/weapon-systems", key: "admin", body: weapon(), big: weapon({ description: huge }) }),
  { method: "PUT", path: `/api/v1/weapon-systems/${weaponId}`, key: "admin", json: weapon({ name: "Tour Launcher Mk 2", sipri_category: "Other" }), status: 200 },
  { method: "PUT", path: `/api/v1/weapon-systems/${weaponId}`, key: "admin", json: weapon({ id: "fgm-148-javelin" }), status: 400 },
  { method: "PUT", path: "/api/v1/weapon-systems/no-such-system", key: "admin", json: weapon({ id: "no-such-system" }), status: 404 },
  { method: "PUT", path: `/api/v1/weapon-systems/${weaponId}`, key: "admin", json: weapon({ name: "x".repeat(201) }), status: 400, badRequest: "name past its maxLength" },
  ...writeErrors({ method: "PUT", path: `/api/v1/weapon-systems/${weaponId}`, key: "admin", body: weapon(), big: weapon({ description: huge }) }),

  // Sources: the tour's donations cite the first two
  { method: "POST", path: "/api/v1/sources", key: "editor", json: source(), status: 201, save: saveCreated("sourceId") },
  { method: "POST", path: "/api/v1/sources", key: "editor", json: source({ kind: "news", title: "Prism tour report", published_on: "2024-02-20", reliability: "B" }), status: 201,
    save: (r, body) => (s.otherSourceId = body.id) },
  { method: "POST", path: "/api/v1/sources", key: "editor", json: source({ title: "Prism tour source to delete", published_on: "2024" }), status: 201, save: saveCreated("spareSourceId") },
  { method: "POST", path: "/api/v1/sources", key: "editor", json: source({ kind: "rumour", published_on: "2024-13" }), status: 400, badRequest: "kind off its enum" },
  { method: "POST", path: "/api/v1/sources", key: "editor", json: source({ published_on: "2024-02-30" }), status: 400 },
  ...writeErrors({ method: "POST", path: "/api/v1/sources", key: "editor", body: source(), big: source({ notes: huge }) }),
  { method: "GET", path: "/api/v1/sources?kind=official&kind=news&published_on_from=2024&q=prism%20tour&limit=2", status: 200 },
  { method: "GET", path: "/api/v1/sources?kind=rumour", status: 400, badRequest: "kind off its enum" },
  ...versionedRecord({ path: "/api/v1/sources", id: "sourceId", spare: "spareSourceId", body: source, changed: source({ publisher: "AidTracker" }) }),

  // Packages: a donation may name one
  { method: "POST", path: "/api/v1/packages", key: "editor", json: aidPackage(), status: 201, save: saveCreated("packageId") },
  { method: "POST", path: "/api/v1/packages", key: "editor", json: aidPackage({ title: "Prism tour package to delete", instrument: "procurement", announced_on: "2024-03" }), status: 201,
    save: saveCreated("sparePackageId") },
  { method: "POST", path: "/api/v1/packages", key: "editor", json: aidPackage({ instrument: "gift" }), status: 400, badRequest: "instrument off its enum" },
  { method: "POST", path: "/api/v1/packages", key: "editor", json: aidPackage({ donor: "QQQ" }), status: 400 },
  ...writeErrors({ method: "POST", path: "/api/v1/packages", key: "editor", body: aidPackage(), big: aidPackage({ notes: huge }) }),
  ...versionedRecord({ path: "/api/v1/packages", id: "packageId", spare: "sparePackageId", body: aidPackage, changed: aidPackage({ value_amount: 5000000, value_currency: "PLN" }) }),

  // Donations: create, read, conditional writes, delete
  { method: "POST", path: "/api/v1/donations", key: "editor", json: donation(), status: 201,
    save: (r, body) => { s.id = body.id; s.etag = r.headers.get("etag"); } },
  { method: "POST", path: "/api/v1/donations", key: "editor", headers: { "Idempotency-Key": `tour-${run}` }, json: donation({ quantity: 21 }), status: 201,
    save: (r, body) => (s.idempotentId = body.id) },
  { method: "POST", path: "/api/v1/donations", key: "editor", headers: { "Idempotency-Key": `tour-${run}` }, json: donation({ quantity: 21 }), status: 201 },
  { method: "POST", path: "/api/v1/donations", key: "editor", headers: { "Idempotency-Key": `tour-${run}` }, json: donation({ quantity: 22 }), status: 422 },
  { method: "POST", path: "/api/v1/donations", key: "editor", headers: { "Idempotency-Key": "k".repeat(256) }, json: donation(), status: 400, badRequest: "Idempotency-Key past 255 characters" },
  { method: "POST", path: "/api/v1/donations", key: "wrong", json: donation(), status: 401, badRequest: "a key that is no key of this service" },
  { method: "POST", path: "/api/v1/donations", key: "editor", json: donation({ donor: "QQQ", recipient: "QQQ", quantity: -1 }), status: 400, badRequest: "quantity below its minimum" },
  { method: "POST", path: "/api/v1/donations", key: "editor", json: donation({ weapon_system: "no-such-system" }), status: 400 },
  { method: "POST", path: "/api/v1/donations", key: "editor", body: "{", type: "application/json", status: 400, badRequest: "not JSON" },
  ...writeErrors({ method: "POST", path: "/api/v1/donations", key: "editor", body: donation(), big: donation({ notes: huge }) }),
  { method: "POST", path: "/api/v1/donations", key: "editor", json: donation({ value_amount: money }), status: 201,
    around: "Prism's proxy carries a JSON body through a JavaScript double: 98765432109876.54 would reach the service as …55",
    save: (r, body) => (s.moneyId = body.id) },
  { method: "GET", path: () => `/api/v1/donations/${s.moneyId}`, status: 200 },
  { method: "POST", path: "/api/v1/donations", key: "editor", json: donation({ evidence: [] }), status: 400 },

  // Review: a draft out of public view, the queue, a reviewer's decision (the admin's key: it made no draft of it)
  { method: "POST", path: "/api/v1/donations", key: "drafter", json: donation({ quantity: 23 }), status: 201, save: saveCreated("draftId") },
  { method: "GET", path: () => `/api/v1/donations/${s.draftId}`, status: 404 },
  { method: "GET", path: "/api/v1/donations?review_state=draft", key: "editor", status: 200 },
  { method: "GET", path: "/api/v1/donations?review_state=draft", status: 400 },
  { method: "GET", path: "/api/v1/review", key: "editor", status: 200 },
  { method: "GET", path: "/api/v1/review?limit=1", key: "drafter", status: 200 },
  { method: "GET", path: "/api/v1/review?limit=0", key: "editor", status: 400, badRequest: "limit below its minimum" },
  { method: "GET", path: "/api/v1/review", status: 401, badRequest: "no key" },
  { method: "POST", path: () => `/api/v1/review/donations/${s.draftId}`, key: "editor", headers: () => ({ "If-Match": s.draftIdETag }), json: { decision: "publish" }, status: 403 },
  { method: "POST", path: () => `/api/v1/review/donations/${s.draftId}`, key: "admin", json: { decision: "publish" }, status: 428, badRequest: "no If-Match, which the document requires" },
  { method: "POST", path: () => `/api/v1/review/donations/${s.draftId}`, key: "admin", headers: { "If-Match": stale }, json: { decision: "publish" }, status: 412 },
  { method: "POST", path: () => `/api/v1/review/donations/${s.draftId}`, key: "admin", headers: () => ({ "If-Match": s.draftIdETag }), json: { decision: "reject" }, status: 400 },
  { method: "POST", path: () => `/api/v1/review/donations/${s.draftId}`, key: "admin", headers: () => ({ "If-Match": s.draftIdETag }), json: { decision: "maybe" }, status: 400, badRequest: "decision off its enum" },
  { method: "POST", path: "/api/v1/review/donations/999999999", key: "admin", headers: { "If-Match": "*" }, json: { decision: "publish" }, status: 404 },
  ...writeErrors({ method: "POST", path: () => `/api/v1/review/donations/${s.draftId}`, key: "admin", headers: () => ({ "If-Match": s.draftIdETag }), body: { decision: "publish" }, big: { decision: "publish", comment: huge } }),
  { method: "POST", path: () => `/api/v1/review/donations/${s.draftId}`, key: "admin", headers: () => ({ "If-Match": s.draftIdETag }), json: { decision: "publish", comment: "Checked." }, status: 200 },
  { method: "POST", path: () => `/api/v1/review/donations/${s.draftId}`, key: "admin", headers: { "If-Match": "*" }, json: { decision: "reject", comment: "Too late." }, status: 409 },
  { method: "GET", path: () => `/api/v1/donations/${s.draftId}`, status: 200 },

  // Review of sources and packages: drafts out of public view; a donation citing a draft source waits for it; once it
  // is published and cited by a published donation, a drafter's change to the source (which would make it a draft) is refused.
  { method: "POST", path: "/api/v1/sources", key: "drafter", json: source({ title: "Prism tour draft source" }), status: 201, save: saveCreated("draftSourceId") },
  { method: "GET", path: () => `/api/v1/sources/${s.draftSourceId}`, status: 404 },
  { method: "GET", path: "/api/v1/sources?review_state=draft", key: "editor", status: 200 },
  { method: "GET", path: "/api/v1/sources?review_state=draft", status: 400 },
  { method: "POST", path: "/api/v1/donations", key: "drafter", json: () => donation({ quantity: 24, evidence: [{ source: s.draftSourceId, quote: "twenty-four", supports: ["announcement"] }] }), status: 201, save: saveCreated("citingDraftId") },
  { method: "POST", path: () => `/api/v1/review/donations/${s.citingDraftId}`, key: "admin", headers: () => ({ "If-Match": s.citingDraftIdETag }), json: { decision: "publish" }, status: 409 },
  { method: "POST", path: () => `/api/v1/review/sources/${s.draftSourceId}`, key: "admin", json: { decision: "publish" }, status: 428, badRequest: "no If-Match, which the document requires" },
  { method: "POST", path: () => `/api/v1/review/sources/${s.draftSourceId}`, key: "admin", headers: { "If-Match": stale }, json: { decision: "publish" }, status: 412 },
  { method: "POST", path: () => `/api/v1/review/sources/${s.draftSourceId}`, key: "admin", headers: () => ({ "If-Match": s.draftSourceIdETag }), json: { decision: "reject" }, status: 400 },
  { method: "POST", path: "/api/v1/review/sources/999999999", key: "admin", headers: { "If-Match": "*" }, json: { decision: "publish" }, status: 404 },
  ...writeErrors({ method: "POST", path: () => `/api/v1/review/sources/${s.draftSourceId}`, key: "admin", headers: () => ({ "If-Match": s.draftSourceIdETag }), body: { decision: "publish" }, big: { decision: "publish", comment: huge } }),
  { method: "POST", path: () => `/api/v1/review/sources/${s.draftSourceId}`, key: "admin", headers: () => ({ "If-Match": s.draftSourceIdETag }), json: { decision: "publish", comment: "Read it." }, status: 200,
    save: (r) => (s.draftSourceIdETag = r.headers.get("etag")) },
  { method: "POST", path: () => `/api/v1/review/sources/${s.draftSourceId}`, key: "admin", headers: { "If-Match": "*" }, json: { decision: "reject", comment: "Too late." }, status: 409 },
  { method: "POST", path: () => `/api/v1/review/donations/${s.citingDraftId}`, key: "admin", headers: () => ({ "If-Match": s.citingDraftIdETag }), json: { decision: "publish" }, status: 200 },
  { method: "PUT", path: () => `/api/v1/sources/${s.draftSourceId}`, key: "drafter", headers: { "If-Match": "*" }, json: source({ title: "Prism tour draft source, retitled" }), status: 409 },
  { method: "POST", path: "/api/v1/packages", key: "drafter", json: aidPackage({ title: "Prism tour draft package" }), status: 201, save: saveCreated("draftPackageId") },
  { method: "GET", path: () => `/api/v1/packages/${s.draftPackageId}`, status: 404 },
  { method: "GET", path: "/api/v1/packages?review_state=draft&review_state=rejected", key: "editor", status: 200 },
  { method: "POST", path: () => `/api/v1/review/packages/${s.draftPackageId}`, key: "admin", json: { decision: "publish" }, status: 428, badRequest: "no If-Match, which the document requires" },
  { method: "POST", path: () => `/api/v1/review/packages/${s.draftPackageId}`, key: "admin", headers: { "If-Match": stale }, json: { decision: "publish" }, status: 412 },
  { method: "POST", path: "/api/v1/review/packages/999999999", key: "admin", headers: { "If-Match": "*" }, json: { decision: "publish" }, status: 404 },
  ...writeErrors({ method: "POST", path: () => `/api/v1/review/packages/${s.draftPackageId}`, key: "admin", headers: () => ({ "If-Match": s.draftPackageIdETag }), body: { decision: "publish" }, big: { decision: "publish", comment: huge } }),
  { method: "POST", path: () => `/api/v1/review/packages/${s.draftPackageId}`, key: "admin", headers: () => ({ "If-Match": s.draftPackageIdETag }), json: { decision: "reject", comment: "No such package." }, status: 200 },
  { method: "POST", path: () => `/api/v1/review/packages/${s.draftPackageId}`, key: "admin", headers: { "If-Match": "*" }, json: { decision: "publish" }, status: 409 },

  // Extractions: a sentence of the seed article read into drafts with the source it comes from, read again
  { method: "POST", path: "/api/v1/extractions", key: "drafter", json: { text: "Stinger surface-to-air missiles are being sent by Poland and Latvia.", source: source({ kind: "news" }) }, status: 201,
    save: (r, body) => (s.extractionId = body.id) },
  { method: "GET", path: () => `/api/v1/extractions/${s.extractionId}`, key: "editor", status: 200 },
  { method: "GET", path: () => `/api/v1/extractions/${s.extractionId}`, status: 401, badRequest: "no key" },
  { method: "GET", path: "/api/v1/extractions/999999999", key: "editor", status: 404 },
  { method: "POST", path: "/api/v1/extractions", key: "editor", json: { source: source() }, status: 400, badRequest: "no text" },
  { method: "POST", path: "/api/v1/extractions", key: "editor", json: { text: "Poland sends Stingers.", source: source({ published_on: "March 2024" }) }, status: 400, badRequest: "published_on off its pattern" },
  ...writeErrors({ method: "POST", path: "/api/v1/extractions", key: "editor", body: { text: "Poland sends Stingers.", source: source() }, big: { text: huge, source: source() } }),

  // Deliveries: a donation of 20 in two instalments, the first leaving it partially delivered; one named by a package
  { method: "POST", path: "/api/v1/donations", key: "editor", json: donation({ status: "committed" }), status: 201,
    save: (r, body) => { s.deliveredId = body.id; s.deliveredETag = r.headers.get("etag"); } },
  { method: "POST", path: () => `/api/v1/donations/${s.deliveredId}/deliveries`, key: "editor", headers: () => ({ "If-Match": s.deliveredETag }), json: delivery(), status: 201,
    save: (r) => (s.deliveredETag = r.headers.get("etag")) },
  { method: "POST", path: () => `/api/v1/donations/${s.deliveredId}/deliveries`, key: "editor", headers: () => ({ "If-Match": s.deliveredETag }), json: delivery({ delivered_on: "2024-04", quantity: 15, status: "delivered" }), status: 201,
    save: (r) => (s.deliveredETag = r.headers.get("etag")) },
  { method: "GET", path: () => `/api/v1/donations/${s.deliveredId}`, status: 200 },
  { method: "POST", path: () => `/api/v1/donations/${s.deliveredId}/deliveries`, key: "editor", headers: () => ({ "If-Match": s.deliveredETag }), json: delivery({ quantity: 1 }), status: 400 },
  { method: "POST", path: () => `/api/v1/donations/${s.deliveredId}/deliveries`, key: "editor", headers: () => ({ "If-Match": s.deliveredETag }), json: delivery({ evidence: [] }), status: 400 },
  { method: "POST", path: () => `/api/v1/donations/${s.deliveredId}/deliveries`, key: "editor", headers: () => ({ "If-Match": s.deliveredETag }), json: delivery({ delivered_on: "2024-13" }), status: 400, badRequest: "delivered_on off its pattern" },
  { method: "POST", path: () => `/api/v1/donations/${s.deliveredId}/deliveries`, key: "editor", headers: { "If-Match": stale }, json: delivery(), status: 412 },
  { method: "POST", path: () => `/api/v1/donations/${s.deliveredId}/deliveries`, key: "editor", json: delivery(), status: 428, badRequest: "no If-Match, which the document requires" },
  { method: "POST", path: "/api/v1/donations/999999999/deliveries", key: "editor", headers: { "If-Match": "*" }, json: delivery(), status: 404 },
  ...writeErrors({ method: "POST", path: () => `/api/v1/donations/${s.deliveredId}/deliveries`, key: "editor", headers: () => ({ "If-Match": s.deliveredETag }), body: delivery(), big: delivery({ notes: huge }) }),
  { method: "POST", path: "/api/v1/donations", key: "editor", json: () => donation({ package: s.packageId }), status: 201 },
  { method: "GET", path: () => `/api/v1/donations/${s.id}`, status: 200, save: (r) => (s.etag = r.headers.get("etag")) },
  { method: "GET", path: () => `/api/v1/donations/${s.id}`, headers: () => ({ "If-None-Match": s.etag }), status: 304 },
  { method: "GET", path: "/api/v1/donations/999999999", status: 404 },
  { method: "GET", path: "/api/v1/donations/abc", status: 400, badRequest: "id is not an integer" },
  { method: "PUT", path: () => `/api/v1/donations/${s.id}`, key: "editor", headers: () => ({ "If-Match": s.etag }), json: donation({ status: "committed" }), status: 200,
    save: (r) => (s.etag = r.headers.get("etag")) },
  { method: "PUT", path: () => `/api/v1/donations/${s.id}`, key: "editor", headers: { "If-Match": stale }, json: donation(), status: 412 },
  { method: "PUT", path: () => `/api/v1/donations/${s.id}`, key: "editor", json: donation(), status: 428, badRequest: "no If-Match, which the document requires" },
  { method: "PUT", path: "/api/v1/donations/999999999", key: "editor", headers: { "If-Match": "*" }, json: donation(), status: 404 },
  { method: "PUT", path: () => `/api/v1/donations/${s.id}`, key: "editor", headers: () => ({ "If-Match": s.etag }), json: donation({ status: "lost" }), status: 400, badRequest: "status off its enum" },
  ...writeErrors({ method: "PUT", path: () => `/api/v1/donations/${s.id}`, key: "editor", headers: () => ({ "If-Match": s.etag }), body: donation(), big: donation({ notes: huge }) }),
  { method: "GET", path: () => `/api/v1/donations/${s.id}/history`, status: 200, save: (r) => (s.historyETag = r.headers.get("etag")) },
  { method: "GET", path: () => `/api/v1/donations/${s.id}/history`, headers: () => ({ "If-None-Match": s.historyETag }), status: 304 },
  { method: "GET", path: "/api/v1/donations/999999999/history", status: 404 },
  { method: "DELETE", path: () => `/api/v1/donations/${s.id}`, key: "editor", headers: { "If-Match": stale }, status: 412 },
  { method: "DELETE", path: () => `/api/v1/donations/${s.id}`, key: "editor", status: 428, badRequest: "no If-Match, which the document requires" },
  { method: "DELETE", path: () => `/api/v1/donations/${s.id}`, headers: () => ({ "If-Match": s.etag }), status: 401, badRequest: "no key" },
  { method: "DELETE", path: "/api/v1/donations/999999999", key: "editor", headers: { "If-Match": "*" }, status: 404 },
  { method: "DELETE", path: () => `/api/v1/donations/${s.id}`, key: "editor", headers: () => ({ "If-Match": s.etag }), status: 204 },
  { method: "GET", path: () => `/api/v1/donations/${s.id}`, status: 410 },
  { method: "PUT", path: () => `/api/v1/donations/${s.id}`, key: "editor", headers: { "If-Match": "*" }, json: donation(), status: 410 },
  { method: "DELETE", path: () => `/api/v1/donations/${s.id}`, key: "editor", headers: { "If-Match": "*" }, status: 410 },
  { method: "GET", path: () => `/api/v1/donations/${s.id}/history`, status: 200 },

  // Donation lists
  { method: "GET", path: "/api/v1/donations", status: 200, save: (r) => (s.listETag = r.headers.get("etag")) },
  { method: "GET", path: "/api/v1/donations", headers: () => ({ "If-None-Match": s.listETag }), status: 304 },
  { method: "GET", path: "/api/v1/donations?limit=2&sort=-announced_on,id", status: 200, save: (r, body) => (s.next = body.next) },
  { method: "GET", path: () => s.next, status: 200 },
  { method: "GET", path: "/api/v1/donations?donor=POL&donor=deu&status=announced&status=delivered&category=anti-tank&from=2022-01-01&to=2026-01-01&q=javelin", status: 200 },
  { method: "GET", path: "/api/v1/donations?donor=POL,deu", status: 200, badRequest: "a comma list in one value: the service takes it, the document names only the repeated form" },
  { method: "GET", path: "/api/v1/donations?as_of=2025-01-01T00:00:00Z", status: 200 },
  { method: "GET", path: "/api/v1/donations?limit=0", status: 400, badRequest: "limit below its minimum" },
  { method: "GET", path: "/api/v1/donations?limit=abc", status: 400, badRequest: "limit is not an integer" },
  { method: "GET", path: "/api/v1/donations?from=yesterday", status: 400, badRequest: "from is not a date" },
  { method: "GET", path: "/api/v1/donations?status=lost", status: 400, badRequest: "status off its enum" },
  { method: "GET", path: "/api/v1/donations?sort=colour", status: 400, badRequest: "sort off its pattern" },
  { method: "GET", path: "/api/v1/donations?cursor=not-a-cursor", status: 400 },
  { method: "GET", path: "/api/v1/donations?limit=5&limit=6", status: 400, badRequest: "limit given twice" },
  { method: "GET", path: "/api/v1/donations?page=2", status: 400, badRequest: "unknown query parameter" },
  { method: "GET", path: "/api/v1/donations?api_key=x", status: 400, badRequest: "unknown query parameter" },

  // Imports
  { method: "POST", path: "/api/v1/imports/donations", key: "editor", headers: { "Idempotency-Key": `tour-import-${run}` }, body: goodCsv, type: "text/csv", status: 201,
    save: (r, body) => (s.importId = body.id) },
  { method: "POST", path: "/api/v1/imports/donations", key: "editor", headers: { "Idempotency-Key": `tour-import-${run}` }, body: goodCsv, type: "text/csv", status: 201 },
  { method: "POST", path: "/api/v1/imports/donations", key: "editor", headers: { "Idempotency-Key": `tour-import-${run}` }, body: otherCsv, type: "text/csv", status: 422 },
  { method: "POST", path: "/api/v1/imports/donations", key: "editor", body: badCsv, type: "text/csv", status: 422 },
  { method: "POST", path: "/api/v1/imports/donations", key: "editor", headers: { "Idempotency-Key": "tour\tkey" }, body: otherCsv, type: "text/csv", status: 400, badRequest: "Idempotency-Key not printable ASCII" },
  { method: "POST", path: "/api/v1/imports/donations", body: goodCsv, type: "text/csv", status: 401, badRequest: "no key" },
  { method: "POST", path: "/api/v1/imports/donations", key: "editor", json: { rows: [] }, status: 415, badRequest: "JSON, not CSV" },
  { method: "POST", path: "/api/v1/imports/donations", key: "editor", type: "text/csv", declaredLength: 100 * 1024 * 1024 + 1, status: 413,
    around: "Prism's server refuses a body past 10 MB with its own 413; Imports:MaxBytes is 100 MiB" },
  { method: "GET", path: () => `/api/v1/imports/${s.importId}`, status: 200, save: (r) => (s.importETag = r.headers.get("etag")) },
  { method: "GET", path: () => `/api/v1/imports/${s.importId}`, headers: () => ({ "If-None-Match": s.importETag }), status: 304 },
  { method: "GET", path: "/api/v1/imports/999999999", status: 404 },

  // Releases
  { method: "POST", path: "/api/v1/releases", key: "admin", json: { id: releaseId, title: "Prism tour", notes: "Frozen by the tour." }, status: 201 },
  { method: "POST", path: "/api/v1/releases", key: "admin", json: { id: releaseId, title: "Prism tour again" }, status: 409 },
  { method: "POST", path: "/api/v1/releases", key: "admin", json: { id: "-bad id", title: "" }, status: 400, badRequest: "id off its pattern" },
  ...writeErrors({ method: "POST", path: "/api/v1/releases", key: "admin", body: { id: `${releaseId}-b`, title: "Other" }, big: { id: `${releaseId}-b`, title: "Big", notes: huge } }),
  { method: "GET", path: "/api/v1/releases", status: 200, save: (r) => (s.releasesETag = r.headers.get("etag")) },
  { method: "GET", path: "/api/v1/releases", headers: () => ({ "If-None-Match": s.releasesETag }), status: 304 },
  { method: "GET", path: "/api/v1/releases?limit=1", status: 400, badRequest: "unknown query parameter" },
  { method: "GET", path: `/api/v1/releases/${releaseId}`, status: 200, save: (r) => (s.releaseETag = r.headers.get("etag")) },
  { method: "GET", path: `/api/v1/releases/${releaseId}`, headers: () => ({ "If-None-Match": s.releaseETag }), status: 304 },
  { method: "GET", path: "/api/v1/releases/no-such-release", status: 404 },

  // Exports and the codebook
  ...["donations", "deliveries", "evidence", "sources", "packages"].flatMap((table) => ["csv", "ndjson", "parquet"].flatMap((format) => [
    { method: "GET", path: `/api/v1/exports/${table}.${format}`, status: 200, save: (r) => (s[`${table}.${format}`] = r.headers.get("etag")) },
    { method: "GET", path: `/api/v1/exports/${table}.${format}`, headers: () => ({ "If-None-Match": s[`${table}.${format}`] }), status: 304 },
    { method: "GET", path: `/api/v1/exports/${table}.${format}?release=${releaseId}&donor=POL`, status: 200 },
    { method: "GET", path: `/api/v1/exports/${table}.${format}?release=no-such-release`, status: 400 },
    { method: "GET", path: `/api/v1/exports/${table}.${format}?from=2024-02-30`, status: 400, badRequest: "from is not a date" },
    { method: "GET", path: `/api/v1/exports/${table}.${format}?limit=10`, status: 400, badRequest: "unknown query parameter" },
  ])),
  ...["", ".md", ".csv"].flatMap((suffix) => [
    { method: "GET", path: `/api/v1/codebook${suffix}`, status: 200, save: (r) => (s[`codebook${suffix}`] = r.headers.get("etag")) },
    { method: "GET", path: `/api/v1/codebook${suffix}`, headers: () => ({ "If-None-Match": s[`codebook${suffix}`] }), status: 304 },
    { method: "GET", path: `/api/v1/codebook${suffix}?lang=de`, status: 400, badRequest: "unknown query parameter" },
  ]),
  { method: "GET", path: "/api/v1/exports/datapackage.json", status: 200, save: (r) => (s.datapackageETag = r.headers.get("etag")) },
  { method: "GET", path: "/api/v1/exports/datapackage.json", headers: () => ({ "If-None-Match": s.datapackageETag }), status: 304 },
  { method: "GET", path: "/api/v1/exports/datapackage.json?lang=de", status: 400, badRequest: "unknown query parameter" },

  // Statistics
  { method: "GET", path: "/api/v1/stats/totals?group_by=donor", status: 200, save: (r) => (s.totalsETag = r.headers.get("etag")) },
  { method: "GET", path: "/api/v1/stats/totals?group_by=donor", headers: () => ({ "If-None-Match": s.totalsETag }), status: 304 },
  { method: "GET", path: `/api/v1/stats/totals?group_by=recipient,year&having_min_count=2&sort=-value_eur&release=${releaseId}`, status: 200 },
  { method: "GET", path: "/api/v1/stats/totals", status: 400, badRequest: "group_by is required" },
  { method: "GET", path: "/api/v1/stats/totals?group_by=colour", status: 400, badRequest: "group_by off its pattern" },
  { method: "GET", path: "/api/v1/stats/totals?group_by=donor&having_min_count=0", status: 400, badRequest: "having_min_count below its minimum" },
  { method: "GET", path: "/api/v1/stats/totals?group_by=donor&as_of=2999-01-01T00:00:00Z", status: 400 },
  { method: "GET", path: "/api/v1/stats/timeseries", status: 200, save: (r) => (s.seriesETag = r.headers.get("etag")) },
  { method: "GET", path: "/api/v1/stats/timeseries", headers: () => ({ "If-None-Match": s.seriesETag }), status: 304 },
  { method: "GET", path: "/api/v1/stats/timeseries?interval=year&split=donor&cumulative=true&date=delivered_on", status: 200 },
  { method: "GET", path: "/api/v1/stats/timeseries?interval=week", status: 400, badRequest: "interval off its enum" },
  { method: "GET", path: "/api/v1/stats/timeseries?cumulative=maybe", status: 400, badRequest: "cumulative is not a boolean" },
  { method: "GET", path: "/api/v1/stats/pledged-vs-delivered", status: 200, save: (r) => (s.pledgedETag = r.headers.get("etag")) },
  { method: "GET", path: "/api/v1/stats/pledged-vs-delivered", headers: () => ({ "If-None-Match": s.pledgedETag }), status: 304 },
  { method: "GET", path: "/api/v1/stats/pledged-vs-delivered?by=category&recipient=UKR", status: 200 },
  { method: "GET", path: "/api/v1/stats/pledged-vs-delivered?by=year", status: 400, badRequest: "by off its enum" },
  { method: "GET", path: "/api/v1/stats/pledged-vs-delivered?by=donor&split=donor", status: 400, badRequest: "unknown query parameter" },
];

// The operations of the document, each with a pattern that matches its concrete paths.
const document = JSON.parse(readFileSync(documentPath, "utf8"));
const operations = Object.entries(document.paths).flatMap(([template, item]) =>
  Object.entries(item)
    .filter(([method]) => ["get", "put", "post", "delete", "patch", "head", "options", "trace"].includes(method))
    .map(([method, operation]) => ({
      method: method.toUpperCase(), template, id: operation.operationId ?? `${method.toUpperCase()} ${template}`,
      pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+")}$`),
    })));
// Should two templates match one path, the one with fewer parameters wins, as in routing.
const operationOf = (method, path) => {
  const bare = path.split("?")[0];
  const matches = operations.filter((o) => o.method === method && o.pattern.test(bare));
  return matches.sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0))[0];
};

// A request that declares a body of c.declaredLength bytes and sends none: the service answers a size past its limit
// from Content-Length alone, before it reads, and the tour need not make 100 MiB to see it.
// A service that waits for the announced body instead fails the case when the socket has been idle for timeoutMs.
const announceOnly = (url, c, headers) => new Promise((resolve, reject) => {
  const options = { method: c.method, headers: { ...headers, "Content-Length": c.declaredLength }, timeout: timeoutMs };
  const sent = request(url, options, (answer) => {
    const chunks = [];
    answer.on("data", (chunk) => chunks.push(chunk)).on("error", reject).on("end", () => {
      sent.destroy();
      resolve([{ status: answer.statusCode, headers: new Headers(answer.headers) }, Buffer.concat(chunks)]);
    });
  });
  sent.on("error", reject).on("timeout", () => sent.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
  sent.flushHeaders();
});

const value = (x) => (typeof x === "function" ? x(s) : x);
const line = (...parts) => console.log(parts.join("  "));
let failures = 0;
const seen = new Map(operations.map((o) => [o.id, { proxied: 0, success: 0 }]));
const started = Date.now();

for (const c of cases) {
  const path = value(c.path);
  const operation = operationOf(c.method, path ?? "");
  if (onlyOperation && operation?.id !== onlyOperation) continue;
  const label = `${c.method.padEnd(6)} ${path}`;
  if (!operation) {
    line(label, "FAILED: no operation of the document has this method and path");
    failures++;
    continue;
  }
  const headers = { ...value(c.headers) };
  if (c.key) headers.Authorization = `Bearer ${keys[c.key]}`;
  let body;
  if (c.json !== undefined) {
    headers["Content-Type"] = "application/json";
    // A money value given as a string is written as the JSON number it spells, digit for digit.
    body = JSON.stringify(value(c.json)).replace(/"value_amount":"([0-9.]+)"/, '"value_amount":$1');
  } else if (c.type) {
    headers["Content-Type"] = c.type;
    body = value(c.body);
  }
  let response, responseBody;
  const sent = Date.now();
  try {
    let bytes;
    if (c.declaredLength) [response, bytes] = await announceOnly(service + path, c, headers);
    else {
      for (let attempt = 1; ; attempt++) {
        const signal = AbortSignal.timeout(timeoutMs);
        response = await fetch((c.around ? service : proxy) + path, { method: c.method, headers, body, redirect: "manual", signal });
        bytes = Buffer.from(await response.arrayBuffer());
        // After a 413 the service closes the connection without reading the body; Prism may reuse that socket for
        // the next request before it sees the close, and answers its own 500 FetchError "socket hang up" without
        // having reached the service. Or, still writing a body past 1 MiB when the service answers 413 and closes,
        // Prism fails with "write EPIPE" before it reads that answer. Either request is sent again, up to 3 times.
        if (attempt > 2 || response.status !== 500 || !/"type":"FetchError".*(socket hang up|ECONNRESET|EPIPE)/.test(bytes)) break;
        console.log(`        (Prism's socket to the service was closed: ${c.method} ${path} sent again)`);
      }
    }
    responseBody = /^application\/(problem\+)?json/.test(response.headers.get("content-type") ?? "") ? JSON.parse(bytes) : bytes;
  } catch (error) {
    line(label, `FAILED: ${error.cause?.message ?? error.message}`);
    failures++;
    continue;
  }
  const violations = JSON.parse(response.headers.get("sl-violations") ?? "[]");
  const ofResponse = violations.filter((v) => v.location?.[0] !== "request");
  const ofRequest = violations.filter((v) => v.location?.[0] === "request");
  const problems = [];
  if (response.status !== c.status) problems.push(`status ${response.status}, expected ${c.status}`);
  if (ofResponse.length) problems.push("response violation");
  if (ofRequest.length && !c.badRequest) problems.push("request violation on a request meant to be valid");
  const note = c.around ? `(around Prism: ${c.around})`
    : c.badRequest && !ofRequest.length ? `(bad request the document calls valid: ${c.badRequest})`
    : c.badRequest ? `(bad request: ${c.badRequest})` : "";
  line(label, response.status, `${Date.now() - sent} ms`, problems.length ? `VIOLATION: ${problems.join(", ")}` : "ok", note);
  if (problems.length) {
    failures++;
    for (const v of violations) console.log(`        ${v.severity} ${v.location?.join(".")} ${v.code ?? ""}: ${v.message}`);
    if (response.status !== c.status) console.log(`        body: ${Buffer.isBuffer(responseBody) ? responseBody.toString("utf8", 0, 400) : JSON.stringify(responseBody).slice(0, 400)}`);
  } else if (c.save) {
    c.save(response, responseBody);
  }
  if (!c.around) {
    seen.get(operation.id).proxied++;
    if (c.status < 300) seen.get(operation.id).success++;
  }
}

if (!onlyOperation) {
  for (const [id, count] of seen) {
    if (count.proxied === 0) { console.log(`FAILED: ${id} has no case through Prism`); failures++; }
    else if (count.success === 0) { console.log(`FAILED: ${id} has no success case through Prism`); failures++; }
  }
}
const ran = onlyOperation ? cases.filter((c) => operationOf(c.method, value(c.path) ?? "")?.id === onlyOperation).length : cases.length;
console.log(`prism tour: ${ran} cases over ${onlyOperation ? 1 : operations.length} operations, ${failures} failed, ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(failures ? 1 : 0);
