// What each dynamic `import()` in src/ saves: for every one, a fresh node
// loads the importing module (and so everything it imports statically), then
// times the `import()` of the target alone. That is the startup cost the
// target would add to every path through the importer if it were imported
// statically. Rounds alternate between the pairs so that machine load hits
// them alike; on a busy machine compare the figures with each other and with
// `node -e 0`, not with other runs. Needs `npm run build` (dist/).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(ROOT, 'src');
const DIST = join(ROOT, 'dist');
const RUNS = Number(process.env.BENCH_RUNS ?? 10);

// argv: importer URL ('-' for none), then the targets, imported together.
const CHILD = `
const [importer, ...targets] = process.argv.slice(1);
if (importer !== '-') await import(importer);
const start = performance.now();
await Promise.all(targets.map((t) => import(t)));
process.stdout.write(String(performance.now() - start));
`;

function sources(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const distUrl = (srcPath) => pathToFileURL(join(DIST, relative(SRC, srcPath)).replace(/\.ts$/, '.js')).href;

/** Every `import('…')` of src/: the importer and the target, as dist/ URLs or package names. */
function dynamicImports() {
  const pairs = [];
  for (const file of sources(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?<!typeof )\bimport\(\s*'([^']+)'\s*\)/g)) {
      const spec = m[1];
      if (spec.startsWith('node:')) continue; // a type, import('node:fs').Stats
      const target = spec.startsWith('.') ? distUrl(resolve(dirname(file), spec).replace(/\.js$/, '.ts')) : spec;
      pairs.push({ importer: distUrl(file), target, name: `${relative(SRC, file)} -> ${spec}` });
    }
  }
  return pairs;
}

function childMs(importer, targets) {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD, importer, ...targets], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`import of ${targets.join(', ')} after ${importer}: ${r.stderr}`);
  return Number(r.stdout);
}

function wallMs(args) {
  const start = process.hrtime.bigint();
  spawnSync(process.execPath, args, { cwd: ROOT });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

export default async function bench() {
  const seen = new Set();
  const pairs = dynamicImports().filter((p) => !seen.has(p.name) && seen.add(p.name));
  // The commands program.ts loads one at a time, all at once: what `validate` would pay for the others.
  const program = pairs.filter((p) => p.name.startsWith('cli/program.ts -> ./commands/'));
  if (program.length) pairs.push({ importer: program[0].importer, targets: program.map((p) => p.target), name: 'cli/program.ts -> every command at once' });
  const times = new Map(pairs.map((p) => [p.name, []]));
  const bare = [];
  for (let i = 0; i < RUNS; i++) {
    bare.push(wallMs(['-e', '0']));
    for (const p of pairs) times.get(p.name).push(childMs(p.importer, p.targets ?? [p.target]));
  }
  return [
    { name: `node -e 0, wall, median of ${RUNS} (ms)`, value: median(bare).toFixed(1) },
    ...pairs
      .map((p) => ({ name: `${p.name} (ms)`, ms: median(times.get(p.name)) }))
      .sort((a, b) => b.ms - a.ms)
      .map(({ name, ms }) => ({ name, value: ms.toFixed(1) })),
  ];
}
