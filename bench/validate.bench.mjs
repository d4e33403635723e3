// `ionflow validate` on deploy.yaml.example against a bare `node -e 0`,
// alternating runs in the same session so machine load hits both alike.
// Target: median wall time of validate ≤ 2.5 × that of node -e 0.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/ionflow.js', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 20);

function wallMs(args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

export default async function bench() {
  const validateArgs = [BIN, '-c', 'deploy.yaml.example', 'validate'];
  wallMs(['-e', '0']); // warm the file cache for both
  wallMs(validateArgs);
  const bare = [];
  const validate = [];
  for (let i = 0; i < RUNS; i++) {
    bare.push(wallMs(['-e', '0']));
    validate.push(wallMs(validateArgs));
  }
  const ratio = median(validate) / median(bare);
  return [
    { name: `node -e 0, median of ${RUNS} (ms)`, value: median(bare).toFixed(1) },
    { name: `ionflow validate deploy.yaml.example, median of ${RUNS} (ms)`, value: median(validate).toFixed(1) },
    { name: 'ratio validate / node -e 0', value: ratio.toFixed(2), target: '≤ 2.5', met: ratio <= 2.5 },
  ];
}
