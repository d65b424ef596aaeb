// Soak suite (see scripts/soak): a fixed request rate of mixed load for a set time, open loop (latency counts from
// when a request was due). Every WINDOW seconds it samples the service's RSS and WAL size and the window's latency,
// and prints the curve. Loopback only.
//   node scripts/soak.mjs BASE KEY PID WAL RATE SECONDS WINDOW
import { readFileSync, statSync } from 'node:fs';

const [base, key, pid, wal, rateText, secondsText, windowText] = process.argv.slice(2);
const rate = +rateText, seconds = +secondsText, windowSeconds = +windowText;
const donors = ['USA', 'DEU', 'GBR', 'POL', 'FRA', 'NLD', 'MLT', 'LVA'];
let n = 0;
const next = () => {
  n++;
  const roll = n % 100;
  const donor = donors[n % donors.length];
  if (roll === 0) return { url: `/api/v1/exports/donations.csv?donor=MLT` };
  if (roll < 10) {
    return {
      url: '/api/v1/donations', method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ donor, recipient: 'UKR', weapon_system: 'nlaw', quantity: n, quantity_qualifier: 'exact', status: 'announced', announced_on: '2023-05-01', notes: `soak ${n}`, evidence: [{ source: 1, supports: ['announcement'] }] }),
    };
  }
  if (roll < 20) return { url: `/api/v1/stats/totals?group_by=category&donor=${donor}` };
  if (roll < 25) return { url: `/api/v1/donations?q=javelin&limit=20` };
  return { url: `/api/v1/donations?donor=${donor}&limit=50&sort=-announced_on` };
};

const rss = () => +(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const walMb = () => { try { return statSync(wal).size / 1e6; } catch { return 0; } };
const percentile = (values, p) => { const s = [...values].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : 0; };

const windows = [];
let latencies = [], errors = 0, serverErrors = 0;
const started = performance.now();
const due = (i) => started + (i * 1000) / rate;
const pending = new Set();
let windowEnd = started + windowSeconds * 1000;

for (let i = 0; performance.now() - started < seconds * 1000; i++) {
  const wait = due(i) - performance.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const request = next();
  const scheduled = due(i);
  const p = fetch(base + request.url, { method: request.method ?? 'GET', headers: request.headers, body: request.body })
    .then(async (response) => {
      await response.arrayBuffer();
      latencies.push(performance.now() - scheduled);
      if (response.status >= 500) serverErrors++;
      else if (response.status >= 400) errors++;
    })
    .catch(() => { serverErrors++; })
    .finally(() => pending.delete(p));
  pending.add(p);
  if (performance.now() >= windowEnd) {
    windows.push({ minute: +((windowEnd - started) / 60000).toFixed(1), requests: latencies.length, p50: +percentile(latencies, 0.5).toFixed(1), p99: +percentile(latencies, 0.99).toFixed(1), rss_mb: Math.round(rss()), wal_mb: +walMb().toFixed(1), errors_4xx: errors, errors_5xx: serverErrors });
    latencies = []; errors = 0; serverErrors = 0;
    windowEnd += windowSeconds * 1000;
  }
}
await Promise.all(pending);
console.log(JSON.stringify({ rate, seconds, windows }));
