#!/usr/bin/env node
// `npm run bench [-- name…]`: runs every bench/*.bench.mjs (or those whose
// name contains one of the words given) and prints their rows. Benchmarks
// are measurements with targets, never pass/fail tests.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
  .sort();

for (const file of files) {
  const { default: bench } = await import(new URL(file, import.meta.url).href);
  console.log(`\n## ${file}`);
  const rows = await bench();
  for (const row of rows) {
    const target = row.target ? `  (target ${row.target}: ${row.met ? 'met' : 'NOT met'})` : '';
    console.log(`${row.name}: ${row.value}${target}`);
  }
}
