#!/usr/bin/env node
// `npm run bench [-- name…]`: runs every bench/*.bench.mjs (or those whose
// name contains one of the words given) and prints their rows. Benchmarks
// are measurements with targets, never pass/fail tests. A bench exporting
// `byNameOnly` (the 1 GiB push, the 50k-file repository) runs only when named.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { load, machine } from './support/measure.mjs';

const dir = fileURLToPath(new URL('.', import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
  .sort();

console.log(`machine: ${machine()}`);
for (const file of files) {
  const { default: bench, byNameOnly } = await import(new URL(file, import.meta.url).href);
  if (byNameOnly && filters.length === 0) {
    console.log(`\n## ${file}: skipped (run it by name: npm run bench -- ${file.replace('.bench.mjs', '')})`);
    continue;
  }
  const before = load();
  console.log(`\n## ${file} (load average before: ${before})`);
  const rows = await bench();
  console.log(`(load average after: ${load()})`);
  for (const row of rows) {
    const target = row.target ? `  (target ${row.target}: ${row.met ? 'met' : 'NOT met'})` : '';
    console.log(`${row.name}: ${row.value}${target}`);
  }
}
