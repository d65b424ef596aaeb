// One round of the crash suite (see scripts/crash). Loopback only.
//   node scripts/crash.mjs run   BASE KEY STATE ROUND   posts and imports until the service dies under it
//   node scripts/crash.mjs retry BASE KEY STATE         sends again, with the same Idempotency-Key and body, every
//                                                        request that was sent and not acknowledged
// STATE is a JSON-lines log: {"sent": …} before each request, {"acked": key} after its 201.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

const [mode, base, key, state, round] = process.argv.slice(2);
const log = (entry) => appendFileSync(state, JSON.stringify(entry) + '\n');
const header = 'donor,recipient,weapon_system,quantity,quantity_qualifier,status,announced_on,source,notes';

function request(entry) {
  const headers = { authorization: `Bearer ${key}`, 'idempotency-key': entry.key };
  if (entry.kind === 'post') {
    return fetch(`${base}/api/v1/donations`, {
      method: 'POST', headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ donor: 'POL', recipient: 'UKR', weapon_system: 'nlaw', quantity: 5, quantity_qualifier: 'exact', status: 'announced', announced_on: '2022-03-01', notes: entry.source, evidence: [{ source: 1, supports: ['announcement'] }] }),
    });
  }
  const rows = Array.from({ length: entry.rows }, (_, k) => `POL,UKR,nlaw,5,exact,announced,2022-03-01,1,${entry.source}-${k}`);
  return fetch(`${base}/api/v1/imports/donations`, {
    method: 'POST', headers: { ...headers, 'content-type': 'text/csv' }, body: [header, ...rows].join('\n') + '\n',
  });
}

async function send(entry) {
  const response = await request(entry);
  await response.text();
  if (response.status !== 201) throw new Error(`${entry.key}: ${response.status}`);
  log({ acked: entry.key });
  return response.headers.get('idempotent-replayed') === 'true';
}

if (mode === 'run') {
  // Four clients, one of them importing 20-row files, until a request fails because the service is gone.
  const client = async (c) => {
    for (let i = 0; ; i++) {
      const entry = c === 0
        ? { kind: 'import', key: `crash-r${round}-imp${i}`, source: `crash r${round} imp${i}`, rows: 20 }
        : { kind: 'post', key: `crash-r${round}-c${c}-${i}`, source: `crash r${round} c${c}-${i}` };
      log({ sent: entry });
      try { await send(entry); } catch { return; }
    }
  };
  await Promise.all([0, 1, 2, 3].map(client));
} else {
  const lines = existsSync(state) ? readFileSync(state, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line)) : [];
  const acked = new Set(lines.filter((l) => l.acked).map((l) => l.acked));
  const pending = lines.filter((l) => l.sent && !acked.has(l.sent.key)).map((l) => l.sent);
  let replayed = 0;
  for (const entry of pending) if (await send(entry)) replayed++;
  console.log(JSON.stringify({ retried: pending.length, replayed }));
}
