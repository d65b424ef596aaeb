// Open-loop load at a fixed request rate, for scripts/bench: request i is due at start + i / rate, whether or not
// earlier answers have come, and its latency counts from when it was due, so a slow answer cannot hide the queue
// behind it (no coordinated omission). Paths are taken in turn from a file, one per line.
//   node scripts/fixed-rate.mjs BASE_URL PATHS_FILE RATE SECONDS
// Prints one line: "sent|ok|failed|achieved_rps|p50_ms|p99_ms|max_ms".
import http from "node:http";
import { readFileSync } from "node:fs";

const [base, pathsFile, rateText, secondsText] = process.argv.slice(2);
const paths = readFileSync(pathsFile, "utf8").split("\n").map((line) => line.trim()).filter(Boolean);
const rate = Number(rateText);
const total = Math.round(rate * Number(secondsText));
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const latencies = [];
let ok = 0;
let failed = 0;
let done = 0;
const start = performance.now();

function send(i) {
  const due = start + (i * 1000) / rate;
  const request = http.get(base + paths[i % paths.length], { agent }, (response) => {
    response.resume();
    response.on("end", () => finish(due, response.statusCode >= 200 && response.statusCode < 300));
  });
  request.on("error", () => finish(due, false));
}

function finish(due, success) {
  latencies.push(performance.now() - due);
  if (success) ok++;
  else failed++;
  if (++done === total) report();
}

function report() {
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(1);
  console.log([total, ok, failed, (total / elapsed).toFixed(0), at(0.5), at(0.99), latencies.at(-1).toFixed(1)].join("|"));
  agent.destroy();
}

// A 1 ms tick sends whatever has fallen due, so the schedule holds even when the event loop is busy.
let next = 0;
const timer = setInterval(() => {
  const now = performance.now();
  while (next < total && start + (next * 1000) / rate <= now) send(next++);
  if (next === total) clearInterval(timer);
}, 1);
