// Reads the CSV and Parquet exports with DuckDB, a tool AidTracker did not write, and checks each file's row count,
// quantity sum (exact and at-least figures) and value_eur sum against what the API's own stats said.
//   node tools/duckdb/check.mjs FILE.csv FILE.parquet EXPECTED_COUNT EXPECTED_QUANTITY EXPECTED_VALUE_EUR
import { DuckDBInstance } from "@duckdb/node-api";

const [csv, parquet, count, quantity, valueEur] = process.argv.slice(2);
const connection = await (await DuckDBInstance.create(":memory:")).connect();
const measures = "count(*)::VARCHAR AS count, coalesce(sum(quantity) FILTER (WHERE quantity_qualifier IN ('exact', 'at_least')), 0)::VARCHAR AS quantity, coalesce(sum(value_eur), 0)::DECIMAL(38,2)::VARCHAR AS value_eur";
const sources = {
  csv: `read_csv('${csv}', header = true, types = {'quantity': 'BIGINT', 'value_eur': 'DECIMAL(20,2)'})`,
  parquet: `read_parquet('${parquet}')`,
};
let failed = false;
for (const [name, source] of Object.entries(sources)) {
  const row = (await connection.runAndReadAll(`SELECT ${measures} FROM ${source}`)).getRowObjectsJson()[0];
  const ok = row.count === count && row.quantity === quantity && row.value_eur === valueEur;
  console.log(`check-exports: ${name} read by DuckDB: ${row.count} rows, quantity ${row.quantity}, value_eur ${row.value_eur} ${ok ? "= the API's stats" : `!= the API's stats (${count}, ${quantity}, ${valueEur})`}`);
  failed ||= !ok;
}
process.exit(failed ? 1 : 0);
