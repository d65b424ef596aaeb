// Load suites against a running service (see scripts/suites). Node's own fetch; loopback only; bounded by counts.
//   node scripts/suites.mjs writers BASE KEY WRITERS POSTS READERS OUT_IDS
//   node scripts/suites.mjs updates BASE KEY CLIENTS ROUNDS
// Prints one JSON line of figures; exits 1 when an invariant it can check from outside fails.
import { writeFileSync } from 'node:fs';

const [suite, base, key, ...rest] = process.argv.slice(2);
const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
const statuses = {};
const failures = [];
const count = (status) => { statuses[status] = (statuses[status] ?? 0) + 1; };

// Each donation's notes are its marker (the suite finds its rows by them); it cites the bundled source.
function donation(marker, quantity = 10) {
  return {
    donor: 'POL', recipient: 'UKR', weapon_system: 'nlaw', quantity, quantity_qualifier: 'exact', status: 'announced',
    announced_on: '2022-03-01', notes: marker, evidence: [{ source: 1, supports: ['announcement'] }],
  };
}

async function request(url, init) {
  // A network error is retried with the same request (and Idempotency-Key): the suite must never write twice.
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await fetch(url, init);
      const text = await response.text();
      count(response.status);
      if (response.status >= 500) failures.push(`${init?.method ?? 'GET'} ${url}: ${response.status} ${text.slice(0, 200)}`);
      if (/database is locked/i.test(text)) failures.push(`${url}: "database is locked"`);
      return { response, text };
    } catch (error) {
      if (attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function writers(writerCount, posts, readerCount, idsFile) {
  const acknowledged = [];
  let writing = true;
  const started = performance.now();
  const writer = async (w) => {
    for (let i = 0; i < posts; i++) {
      const source = `suite w${w}-${i}`;
      const { response, text } = await request(`${base}/api/v1/donations`, {
        method: 'POST', headers: { ...auth, 'idempotency-key': `suite-${w}-${i}` }, body: JSON.stringify(donation(source)),
      });
      if (response.status === 201) acknowledged.push(JSON.parse(text).id);
      else failures.push(`POST ${source}: ${response.status} ${text.slice(0, 200)}`);
    }
  };
  let pages = 0;
  const reader = async () => {
    while (writing) {
      let url = `${base}/api/v1/donations?limit=100&donor=POL`;
      while (url && writing) {
        const { response, text } = await request(url);
        if (response.status !== 200) { failures.push(`GET ${url}: ${response.status}`); break; }
        pages++;
        const next = JSON.parse(text).next;
        url = next ? base + next : null;
      }
    }
  };
  const readers = Array.from({ length: readerCount }, reader);
  await Promise.all(Array.from({ length: writerCount }, (_, w) => writer(w)));
  const seconds = (performance.now() - started) / 1000;
  writing = false;
  await Promise.all(readers);
  writeFileSync(idsFile, acknowledged.join('\n') + '\n');
  return { acknowledged: acknowledged.length, expected: writerCount * posts, seconds: +seconds.toFixed(2), writes_per_second: Math.round(acknowledged.length / seconds), pages_read: pages };
}

async function updates(clients, rounds) {
  const created = await request(`${base}/api/v1/donations`, { method: 'POST', headers: auth, body: JSON.stringify(donation('suite lost updates', 1)) });
  const id = JSON.parse(created.text).id;
  const won = [];
  let lost = 0;
  const client = async (c) => {
    for (let r = 0; r < rounds; r++) {
      const read = await request(`${base}/api/v1/donations/${id}`);
      const etag = read.response.headers.get('etag');
      const quantity = c * 100000 + r + 1;
      const put = await request(`${base}/api/v1/donations/${id}`, {
        method: 'PUT', headers: { ...auth, 'if-match': etag }, body: JSON.stringify(donation('suite lost updates', quantity)),
      });
      if (put.response.status === 200) won.push(quantity);
      else if (put.response.status === 412) lost++;
      else failures.push(`PUT: ${put.response.status} ${put.text.slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, c) => client(c)));
  const history = JSON.parse((await request(`${base}/api/v1/donations/${id}/history`)).text).items;
  const updated = history.filter((entry) => entry.operation === 'update').map((entry) => entry.record.quantity);
  const missing = won.filter((q) => !updated.includes(q));
  const extra = updated.filter((q) => !won.includes(q));
  if (missing.length || extra.length || updated.length !== won.length) {
    failures.push(`history has ${updated.length} updates for ${won.length} successful PUTs (missing ${missing.length}, unexplained ${extra.length})`);
  }
  if (won.length + lost !== clients * rounds) failures.push(`${won.length} wins + ${lost} 412s != ${clients * rounds} PUTs`);
  return { donation: id, puts: clients * rounds, succeeded: won.length, got_412: lost, history_updates: updated.length };
}

const figures = suite === 'writers'
  ? await writers(+rest[0], +rest[1], +rest[2], rest[3])
  : await updates(+rest[0], +rest[1]);
console.log(JSON.stringify({ suite, ...figures, statuses, failures: failures.slice(0, 20), failure_count: failures.length }));
process.exit(failures.length ? 1 : 0);
