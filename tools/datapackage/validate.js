// Validates a Frictionless Data Package with frictionlessdata's own library (datapackage, pinned in package.json), a
// tool AidTracker did not write: the descriptor against the Data Package profile, then every row of every resource
// against its table schema (types, constraints, primary key uniqueness, foreign keys), and each resource's bytes and
// hash where the descriptor gives them. Exits 1 listing the problems, 0 when there are none.
//   node tools/datapackage/validate.js FOLDER   (FOLDER/datapackage.json and the files its resources name)
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const { Package } = require("datapackage");
// The library adds an end listener per row stream; past its default of 10 Node warns of a leak that is none.
require("events").defaultMaxListeners = 0;

/** Problems listed per resource; past them, only counted. */
const MaxListed = 20;

async function main() {
  const folder = process.argv[2];
  if (!folder) {
    console.error("usage: node validate.js FOLDER");
    return 2;
  }
  const problems = [];
  const dataPackage = await Package.load(path.join(folder, "datapackage.json"), { basePath: folder });
  for (const error of dataPackage.errors) problems.push(`descriptor: ${error.message}`);
  if (!dataPackage.valid) return report(problems);

  for (const resource of dataPackage.resources) {
    const name = resource.name;
    for (const error of resource.errors) problems.push(`${name}: descriptor: ${error.message}`);
    if (!resource.tabular) {
      problems.push(`${name}: not a tabular resource`);
      continue;
    }
    problems.push(...checkIntegrity(folder, resource.descriptor).map(problem => `${name}: ${problem}`));
    let rows = 0, failed = 0;
    try {
      const relations = resource.schema.foreignKeys.length > 0;
      const iterator = await resource.iter({ forceCast: true, relations });
      for await (const row of iterator) {
        rows++;
        if (!(row instanceof Error)) continue;
        if (++failed > MaxListed) continue;
        const details = (row.errors || []).map(error => error.message).join("; ");
        problems.push(`${name}: row ${row.rowNumber ?? rows + 1}: ${row.message}${details ? `: ${details}` : ""}`);
      }
    } catch (error) {
      problems.push(`${name}: ${error.message}${error.errors ? `: ${error.errors.map(e => e.message).join("; ")}` : ""}`);
    }
    if (failed > MaxListed) problems.push(`${name}: ${failed - MaxListed} more rows with problems`);
    console.log(`validate: ${name}: ${rows} rows read, ${failed} with problems`);
  }
  return report(problems);
}

/** The file's length and SHA-256 against the resource's bytes and hash, where the descriptor gives them. */
function checkIntegrity(folder, descriptor) {
  if (descriptor.bytes === undefined && descriptor.hash === undefined) return [];
  const content = fs.readFileSync(path.join(folder, descriptor.path));
  const problems = [];
  if (descriptor.bytes !== undefined && descriptor.bytes !== content.length) {
    problems.push(`bytes is ${descriptor.bytes}, the file has ${content.length}`);
  }
  if (descriptor.hash !== undefined) {
    const [algorithm, expected] = descriptor.hash.includes(":") ? descriptor.hash.split(":") : ["md5", descriptor.hash];
    const actual = crypto.createHash(algorithm).update(content).digest("hex");
    if (actual !== expected.toLowerCase()) problems.push(`hash is ${descriptor.hash}, the file's ${algorithm} is ${actual}`);
  }
  return problems;
}

function report(problems) {
  for (const problem of problems) console.error(`validate: ${problem}`);
  console.log(problems.length === 0 ? "validate: the data package is valid" : `validate: ${problems.length} problems`);
  return problems.length === 0 ? 0 : 1;
}

main().then(code => process.exit(code), error => {
  console.error(`validate: ${error.stack || error.message}`);
  process.exit(1);
});
