// Loads the CSV files of a Frictionless Data Package into DuckDB, a tool AidTracker did not write, each column typed
// as the descriptor says, then checks every primary key is unique and every foreign key finds its row (from the
// descriptor: a new table's keys are checked once it is declared), and runs each given check: a query over the tables
// (named as the resources) whose one value must equal the expected text, such as a count or a total from the API's stats.
//   node tools/duckdb/joins.mjs FOLDER ["LABEL<TAB>SELECT ...<TAB>EXPECTED" ...]   (FOLDER/datapackage.json and its files)
// One check an argument, its three parts separated by tabs: SQL may hold '|' (the || operator), never needs a tab.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";

const [folder, ...checks] = process.argv.slice(2);
const descriptor = JSON.parse(readFileSync(join(folder, "datapackage.json"), "utf8"));
const connection = await (await DuckDBInstance.create(":memory:")).connect();
const quote = name => `"${name.replaceAll('"', '""')}"`;
const literal = text => `'${text.replaceAll("'", "''")}'`;
// Numbers as DECIMAL, wider than any the exports write (four decimals at most): sums stay exact.
const typeOf = field => ({
  integer: "BIGINT",
  number: "DECIMAL(38,8)",
  boolean: "BOOLEAN",
  date: "DATE",
  datetime: "TIMESTAMPTZ",
}[field.type] ?? "VARCHAR");

let failed = false;
const value = async sql => Object.values((await connection.runAndReadAll(sql)).getRowObjectsJson()[0])[0];
const check = (label, actual, expected) => {
  const ok = String(actual) === String(expected);
  console.log(`check-exports: ${label}: ${actual}${ok ? "" : ` != ${expected}`}`);
  failed ||= !ok;
};

for (const resource of descriptor.resources) {
  const columns = resource.schema.fields.map(field => `${literal(field.name)}: ${literal(typeOf(field))}`).join(", ");
  await connection.run(`CREATE TABLE ${quote(resource.name)} AS SELECT * FROM read_csv(${literal(join(folder, resource.path))},
    header = true, delim = ',', quote = '"', escape = '"', nullstr = '', auto_detect = false, columns = {${columns}})`);
}
for (const resource of descriptor.resources) {
  const table = quote(resource.name);
  const key = [resource.schema.primaryKey].flat().map(quote).join(", ");
  check(`${resource.name}: rows sharing a primary key (${key})`, await value(
    `SELECT count(*)::VARCHAR FROM (SELECT ${key} FROM ${table} GROUP BY ${key} HAVING count(*) > 1)`), "0");
  for (const foreignKey of resource.schema.foreignKeys ?? []) {
    const fields = [foreignKey.fields].flat(), references = [foreignKey.reference.fields].flat();
    const parent = quote(foreignKey.reference.resource || resource.name);
    const on = fields.map((field, i) => `c.${quote(field)} = p.${quote(references[i])}`).join(" AND ");
    const set = fields.map(field => `c.${quote(field)} IS NOT NULL`).join(" AND ");
    check(`${resource.name}: rows whose ${fields} find no ${parent} row`, await value(
      `SELECT count(*)::VARCHAR FROM ${table} c ANTI JOIN ${parent} p ON ${on} WHERE ${set}`), "0");
  }
}
for (const argument of checks) {
  const parts = argument.split("\t");
  if (parts.length !== 3) {
    console.log(`check-exports: a check must be LABEL, SQL and EXPECTED separated by tabs: ${JSON.stringify(argument)}`);
    failed = true;
    continue;
  }
  const [label, sql, expected] = parts;
  check(label, await value(`SELECT (${sql})::VARCHAR`), expected);
}
process.exit(failed ? 1 : 0);
