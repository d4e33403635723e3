// `npm run bench -- scaling` (only when named: it generates a 50,000-file
// repository): how a push grows with the repository (1k, 5k, 20k, 50k files
// of ~2 KiB, a tenth of them binary, to a local store: wall time and peak RSS
// of the largest process), and how `validate` and `plan` grow with
// deploy.yaml (10, 100, 500 groups). Each row gives the marginal cost of the
// step from the size before: it must not grow (worse than linear).
// SCALING_BENCH=push,config runs only one half.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BIN as RUN_BIN, localYaml, makeAppRepo } from './run.bench.mjs';
import { generateRepo } from './support/generate-repo.mjs';
import { MiB, measure, median } from './support/measure.mjs';
import { writeS3Config } from './support/push-servers.mjs';

export const byNameOnly = true;

const root = fileURLToPath(new URL('..', import.meta.url));
const work = `${root}bench/.work`;
const BIN = `${root}bin/ionflow.js`;
const RUNS = 3;

async function pushRows() {
  const rows = [];
  let before;
  for (const files of [1000, 5000, 20000, 50000]) {
    const c = { files, bytes: files * 2048, binaryShare: 0.3 };
    const repoDir = `${work}/repo-scale-${files}`;
    generateRepo(repoDir, c);
    const store = `${work}/store-scale`;
    const config = writeS3Config(work, `scale-${files}`, repoDir, { local: store });
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      rmSync(store, { recursive: true, force: true });
      runs.push(await measure(process.execPath, [BIN, '-c', config, 'push', '--force'], {}));
    }
    rmSync(store, { recursive: true, force: true });
    const ms = median(runs.map((r) => r.ms));
    const cpu = median(runs.map((r) => r.cpuMs));
    const peak = Math.max(...runs.map((r) => r.peakMiB));
    // Per 1k files, from the size before: wall time, and CPU time (ionflow + git), which other load moves less.
    const per = (a, b) => ((a - b) / ((files - before.files) / 1000)).toFixed(0);
    const marginal = before ? `; per 1k files more: ${per(ms, before.ms)} ms wall, ${per(cpu, before.cpu)} ms CPU` : '';
    rows.push({
      name: `push ${files} files (${(c.bytes / MiB).toFixed(0)} MiB) to a local store, median of ${RUNS}`,
      value: `${ms.toFixed(0)} ms wall, ${cpu.toFixed(0)} ms CPU, peak ${peak.toFixed(0)} MiB${marginal}`,
    });
    before = { ms, cpu, files };
  }
  return rows;
}

function bigYaml(groups) {
  const keys = Array.from({ length: groups }, (_, i) => `g${i}`);
  const steps = keys.map((k) => `      - { deploy: ${k}, needs: [push-shop] }\n`).join('');
  return localYaml(keys, `  all:\n    steps:\n      - push: shop\n${steps}`);
}

async function configRows() {
  const rows = [];
  const before = {};
  for (const groups of [10, 100, 500]) {
    const repo = makeAppRepo(bigYaml(groups));
    try {
      for (const command of ['validate', 'plan']) {
        const args = command === 'plan' ? [RUN_BIN, 'plan', 'all'] : [RUN_BIN, 'validate'];
        await measure(process.execPath, args, { env: repo.env, cwd: repo.dir }); // warm
        const runs = [];
        for (let i = 0; i < 5; i++) runs.push(await measure(process.execPath, args, { env: repo.env, cwd: repo.dir }));
        const ms = median(runs.map((r) => r.ms));
        const cpu = median(runs.map((r) => r.cpuMs));
        const prev = before[command];
        const per = (a, b) => ((a - b) / (groups - prev.groups)).toFixed(2);
        const marginal = prev ? `; per group more: ${per(ms, prev.ms)} ms wall, ${per(cpu, prev.cpu)} ms CPU` : '';
        rows.push({
          name: `${command} of a deploy.yaml with ${groups} groups, median of 5`,
          value: `${ms.toFixed(0)} ms wall, ${cpu.toFixed(0)} ms CPU${marginal}`,
        });
        before[command] = { ms, cpu, groups };
      }
    } finally {
      repo.cleanup();
    }
  }
  return rows;
}

const parts = new Set((process.env.SCALING_BENCH ?? 'push,config').split(','));

export default async function scalingBench() {
  if (!existsSync(`${root}dist/cli/main.js`)) throw new Error('build first: npm run build');
  mkdirSync(work, { recursive: true });
  return [...(parts.has('push') ? await pushRows() : []), ...(parts.has('config') ? await configRows() : [])];
}
