// The extraction corpus's evaluation (scripts/extraction-eval): a record is identified by its donor and weapon system
// (the labels hold one per pair per text); the fields are compared on the records found in both.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const dll = option("--dll");
const database = option("--database");
const corpus = option("--corpus", "tests/extraction-corpus");
const details = args.includes("--details");
const labels = JSON.parse(readFileSync(join(corpus, "labels.json"), "utf8"));

const fields = ["donor", "recipient", "weapon_system", "quantity", "quantity_qualifier", "status", "date"];
const counts = Object.fromEntries(fields.map((f) => [f, { correct: 0 }]));
let predictedRecords = 0, goldRecords = 0, identified = 0, whole = 0;
let predictedUnresolved = 0, goldUnresolved = 0, unresolvedFound = 0;
const started = Date.now();
for (const label of labels) {
  const output = execFileSync("dotnet", [dll, "extract", join(corpus, "texts", label.file), "--published-on", label.source.published_on,
    `--Database:Path=${database}`, "--Logging:LogLevel:Default=Warning"], { encoding: "utf8" });
  const result = JSON.parse(output);
  const key = (r) => `${r.donor} ${r.weapon_system}`;
  const gold = new Map(label.records.map((r) => [key(r), r]));
  const found = new Map(result.records.map((r) => [key(r), r]));
  predictedRecords += found.size;
  goldRecords += gold.size;
  const missed = [], extra = [], wrong = [];
  for (const [k, g] of gold) {
    const p = found.get(k);
    if (!p) { missed.push(k); continue; }
    identified += p.recipient === g.recipient ? 1 : 0;
    let all = true;
    for (const f of fields) {
      const same = (p[f] ?? null) === (g[f] ?? null);
      if (same) counts[f].correct++;
      else { all = false; wrong.push(`${k}: ${f} ${JSON.stringify(p[f] ?? null)} ≠ ${JSON.stringify(g[f] ?? null)}`); }
    }
    whole += all ? 1 : 0;
  }
  for (const k of found.keys()) if (!gold.has(k)) extra.push(k);
  predictedUnresolved += result.unresolved.length;
  goldUnresolved += label.unresolved.length;
  unresolvedFound += label.unresolved.filter((q) => result.unresolved.some((u) => u.quote.includes(q.slice(0, 40)))).length;
  if (details && (missed.length || extra.length || wrong.length)) {
    console.log(`${label.file}: missed [${missed.join(", ")}] extra [${extra.join(", ")}]`);
    for (const w of wrong) console.log(`    ${w}`);
  }
}

// Speed: the verb on a 2,000-word article (corpus texts end to end) against the verb on an empty file (its start-up and
// the reference data's names: the baseline), and on ten such articles in one file, median of 7 each, alternating.
const words = [];
for (const label of labels) words.push(...readFileSync(join(corpus, "texts", label.file), "utf8").split(/\s+/).filter(Boolean));
const folder = mkdtempSync(join(tmpdir(), "extraction-eval-"));
const article = join(folder, "article.txt"), empty = join(folder, "empty.txt"), ten = join(folder, "ten-articles.txt");
writeFileSync(article, words.slice(0, 2000).join(" "));
writeFileSync(ten, Array(10).fill(words.slice(0, 2000).join(" ")).join("\n\n"));
writeFileSync(empty, "");
const timed = (file) => {
  const start = process.hrtime.bigint();
  execFileSync("dotnet", [dll, "extract", file, "--published-on", "2022-03-06", `--Database:Path=${database}`, "--Logging:LogLevel:Default=Warning"]);
  return Number(process.hrtime.bigint() - start) / 1e6;
};
// A cold process pays for compiling the extractor on its first article; a running service reads each article warm:
// ten articles in one process, less one, over nine, is what each further article costs.
const times = { article: [], empty: [], ten: [] };
for (let i = 0; i < 7; i++) { times.empty.push(timed(empty)); times.article.push(timed(article)); times.ten.push(timed(ten)); }
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];

const ratio = (a, b) => (b === 0 ? "–" : (a / b).toFixed(2));
const machine = `${execFileSync("nproc", { encoding: "utf8" }).trim()} cores`;
console.log(`Extraction on ${labels.length} texts, ${goldRecords} labelled records (${corpus}), ${new Date().toISOString().slice(0, 16)}Z, ${machine}, ` +
  `scripts/extraction-eval, ${((Date.now() - started) / 1000).toFixed(0)} s:\n`);
console.log("| | precision | recall |");
console.log("|---|---:|---:|");
console.log(`| records (donor, weapon system and recipient right) | ${ratio(identified, predictedRecords)} | ${ratio(identified, goldRecords)} |`);
console.log(`| records, every field right | ${ratio(whole, predictedRecords)} | ${ratio(whole, goldRecords)} |`);
for (const f of fields) console.log(`| ${f} | ${ratio(counts[f].correct, predictedRecords)} | ${ratio(counts[f].correct, goldRecords)} |`);
console.log(`| unresolved mentions | ${ratio(unresolvedFound, predictedUnresolved)} | ${ratio(unresolvedFound, goldUnresolved)} |`);
console.log(`\nA field is right on a record found in both the labels and the output (same donor and weapon system); its precision divides by the records output, its recall by the records labelled.`);
console.log(`\nSpeed: the extract verb on a 2,000-word article ${median(times.article).toFixed(0)} ms, on an empty file ${median(times.empty).toFixed(0)} ms ` +
  `(its start-up and the reference data's names): ${(median(times.article) - median(times.empty)).toFixed(0)} ms to read the article in a cold process, ` +
  `${((median(times.ten) - median(times.article)) / 9).toFixed(0)} ms for each further one in the same process, as a running service reads them (target: under 50 ms), median of 7.`);
