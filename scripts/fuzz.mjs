// Fuzz suite (see scripts/fuzz): requests generated from openapi/openapi.json with hostile values in every query,
// path, header and body field, broken bodies, wrong content types and bad auth. Every answer must be below 500, and
// every error a valid problem+json whose status is the response's. Deterministic (seeded); loopback only.
//   node scripts/fuzz.mjs BASE EDITOR_KEY ADMIN_KEY COUNT
import { readFileSync } from 'node:fs';

const [base, editorKey, adminKey, countText] = process.argv.slice(2);
const total = +countText;
const spec = JSON.parse(readFileSync(new URL('../openapi/openapi.json', import.meta.url)));

let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = (items) => items[Math.floor(random() * items.length)];

const hostile = [
  '', ' ', '-1', '0', '1', '2147483648', '9223372036854775808', '-9223372036854775809', '1e309', '1.5', 'NaN', 'null',
  'true', "'", '"', '%', '*', '\\', "' OR 1=1 --", '") OR ("1"="1', '; DROP TABLE donations; --', 'NEAR(a b)', '^x', 'a*b*',
  'javelin OR', '"unclosed', '../../../../etc/passwd', '..%2f..%2fetc%2fpasswd', '/etc/passwd', 'C:\\Windows\\win.ini',
  '\u0000', '\u202e', '💣', '\uffff', '\ud800', 'Ω'.repeat(300), 'x'.repeat(5000), '2024-02-30', '9999-12-31',
  '0001-01-01T00:00:00Z', '2026-13-01T00:00:00Z', 'POL,,UKR', ',', 'pol', 'EU', 'fgm-148-javelin', '-announced_on,id',
  'donor,category,status', '<script>alert(1)</script>', '${jndi:ldap://x}', '{{7*7}}', '%00', '%ZZ',
  // the ends of the calendar and their neighbours (a day or a month past either end overflows DateOnly)
  '0001-01-01', '0001-01-02', '0001-01-31', '0001-12-31', '9999-01-01', '9999-12-01', '9999-12-30', '0000-12-31', '10000-01-01',
  // any case matches a code or an enum value; C# member names do not
  'MANPADS', 'DELIVERED', 'Donor', 'WEAPON_SYSTEM', 'Year', 'AtLeast', 'At_least', 'WeaponSystem', 'EUR', 'eur',
];
const hostileJson = [null, true, false, 0, -1, 1.5, 1e308, -1e308, 2 ** 63, '', 'x'.repeat(100000), [], {}, [1, 2], { a: 1 }, '💣', '\u0000', 9007199254740993];

const operations = [];
for (const [path, item] of Object.entries(spec.paths)) {
  for (const [method, operation] of Object.entries(item)) {
    operations.push({ path, method: method.toUpperCase(), parameters: operation.parameters ?? [], body: operation.requestBody?.content });
  }
}

function example(schema, depth = 0) {
  if (!schema || depth > 4) return 'x';
  if (schema.$ref) return example(spec.components.schemas[schema.$ref.split('/').pop()], depth + 1);
  if (schema.enum) return schema.enum[0];
  if (schema.oneOf || schema.anyOf) return example((schema.oneOf ?? schema.anyOf)[0], depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type === 'object' || schema.properties) {
    return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, example(v, depth + 1)]));
  }
  if (type === 'integer' || type === 'number') return 1;
  if (type === 'boolean') return true;
  if (type === 'array') return [example(schema.items, depth + 1)];
  if (schema.format === 'date') return '2022-03-01';
  return 'x';
}

function requestFor(operation) {
  // A lone surrogate cannot be percent-encoded (URIError): it goes as U+FFFD, as URLSearchParams sends it in a query.
  let url = operation.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(pick([pick(hostile), '1', 'POL', 'nlaw']).toWellFormed()));
  const query = new URLSearchParams();
  const headers = {};
  for (const parameter of operation.parameters) {
    if (parameter.in === 'query' && random() < 0.4) query.append(parameter.name, pick(hostile));
    if (parameter.in === 'header' && random() < 0.5) headers[parameter.name] = pick(['k', 'x'.repeat(300), '', 'key with spaces']);
  }
  if (random() < 0.05) query.append(pick(['limit2', 'DROP', '__proto__', 'constructor']), pick(hostile));
  if ([...query].length) url += `?${query}`;

  const auth = pick(['none', 'editor', 'admin', 'admin', 'bad', 'basic', 'empty']);
  if (auth === 'editor') headers.authorization = `Bearer ${editorKey}`;
  if (auth === 'admin') headers.authorization = `Bearer ${adminKey}`;
  if (auth === 'bad') headers.authorization = `Bearer atk_${pick(hostile).replace(/[^\x20-\x7e]/g, '')}`;
  if (auth === 'basic') headers.authorization = 'Basic dXNlcjpwYXNz';
  if (auth === 'empty') headers.authorization = 'Bearer ';

  let body;
  if (operation.body) {
    const [contentType, media] = Object.entries(operation.body)[0];
    const shape = random();
    if (contentType === 'text/csv') {
      headers['content-type'] = pick(['text/csv', 'text/csv', 'application/json', 'text/plain']);
      body = pick([
        'donor,recipient,weapon_system,status,announced_on,source,notes\nPOL,UKR,nlaw,announced,2022-03-01,1,' + pick(hostile).replace(/[\r\n]/g, ''),
        '', '\ufeff', 'a,b\n1,2', '"unclosed\n', pick(hostile), 'donor\n' + 'x\n'.repeat(5000),
      ]);
    } else if (shape < 0.15) {
      headers['content-type'] = 'application/json';
      body = pick(['{', '{"a":', '[]', 'null', '"x"', '1', '{"donor":"POL","donor":"UKR"}', pick(hostile)]);
    } else if (shape < 0.25) {
      headers['content-type'] = pick(['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data']);
      body = 'donor=POL';
    } else {
      headers['content-type'] = 'application/json';
      const value = example(media.schema);
      const fields = Object.keys(value);
      for (let i = 0; i < 1 + Math.floor(random() * 3) && fields.length; i++) {
        value[pick(fields)] = random() < 0.5 ? pick(hostileJson) : pick(hostile);
      }
      if (random() < 0.1) value[pick(['extra', '__proto__', 'id', 'version'])] = 1;
      body = JSON.stringify(value);
    }
  }
  return { method: operation.method, url, headers, body };
}

const statuses = {};
const failures = [];
let sent = 0;
async function worker() {
  while (sent < total) {
    sent++;
    const request = requestFor(pick(operations));
    let response;
    try {
      response = await fetch(base + request.url, { method: request.method, headers: request.headers, body: request.body });
    } catch (error) {
      // Node refuses to send some of the hostile header values itself; those never reach the service.
      if (error.cause?.code === 'UND_ERR_INVALID_ARG' || /invalid|header/i.test(String(error.cause ?? error))) { statuses.unsent = (statuses.unsent ?? 0) + 1; continue; }
      failures.push(`${request.method} ${request.url.slice(0, 120)}: ${error.cause ?? error}`);
      continue;
    }
    const text = await response.text();
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    const describe = `${request.method} ${request.url.slice(0, 160)} -> ${response.status}`;
    if (response.status >= 500) failures.push(`${describe}: ${text.slice(0, 300)}`);
    // Kestrel itself refuses requests it cannot parse (a NUL in the path, a request line or headers past their limits)
    // before any middleware runs, with a bare status and no body: counted, not failed (docs/operations.md, "Suites").
    if (text.length === 0 && !response.headers.get('content-type') && [400, 405, 414, 431].includes(response.status)) {
      statuses[`${response.status} bare`] = (statuses[`${response.status} bare`] ?? 0) + 1;
    } else if (response.status >= 400) {
      const type = response.headers.get('content-type') ?? '';
      let problem = null;
      try { problem = JSON.parse(text); } catch { /* checked below */ }
      if (!type.startsWith('application/problem+json') || problem?.status !== response.status) {
        failures.push(`${describe}: not a problem+json with its status (${type}): ${text.slice(0, 200)}`);
      }
    }
  }
}
const started = performance.now();
await Promise.all(Array.from({ length: 8 }, worker));
console.log(JSON.stringify({ requests: sent, operations: operations.length, seconds: +((performance.now() - started) / 1000).toFixed(1), statuses, failure_count: failures.length, failures: failures.slice(0, 15) }));
process.exit(failures.length ? 1 : 0);
