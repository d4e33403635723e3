// `ionflow check` of a pipeline with 10 aws groups (step-functions), their
// store's bucket and one profile, against the fake AWS endpoint on loopback:
// the whole preflight, process start to exit. Target ≤ 1.5 s (SPEC §14:
// "fails in about a second, not after a push").
import { spawn } from 'node:child_process';
import { BIN, makeAppRepo, median, ms } from './run.bench.mjs';
import { loadTestSupport } from './support/compile-support.mjs';

const GROUPS = 10;

function yaml(url) {
  const groups = Array.from({ length: GROUPS }, (_, i) => `  g${i}:\n    app: shop\n    aws: { profile: fake }\n`).join('');
  const steps = Array.from({ length: GROUPS }, (_, i) => `      - deploy: g${i}\n        needs: [push-shop]\n`).join('');
  return `version: 1
profiles:
  fake:
    region: us-east-1
    endpoints: { s3: ${url}, codedeploy: ${url}, sfn: ${url}, sts: ${url} }
apps:
  shop:
    store:
      s3: { bucket: code, profile: fake }
groups:
${groups}pipelines:
  all:
    steps:
      - push: shop
${steps}`;
}

function timeCheck(dir, env) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [BIN, 'check', 'all'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`check exited ${code}:\n${out}`))));
  });
}

export default async function bench() {
  const { startFakeAwsEndpoint, addApplication, addStateMachine } = await loadTestSupport();
  const fake = await startFakeAwsEndpoint();
  addApplication(
    fake.state,
    'shop',
    Array.from({ length: GROUPS }, (_, i) => `g${i}`),
  );
  for (let i = 0; i < GROUPS; i++) addStateMachine(fake.state, `datomic-g${i}`);
  fake.state.buckets = new Map([['code', 'us-east-1']]);
  const repo = makeAppRepo(yaml(fake.url));
  const env = {
    ...repo.env,
    AWS_ACCESS_KEY_ID: 'AKIDBENCH',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  };
  try {
    await timeCheck(repo.dir, env); // warm the file cache
    const times = [];
    for (let i = 0; i < 7; i++) times.push(await timeCheck(repo.dir, env));
    const m = median(times);
    const calls = fake.calls.length / 8;
    return [
      { name: `check of ${GROUPS} aws groups on the loopback fake (median of 7)`, value: ms(m), target: '≤ 1.5 s', met: m <= 1500 },
      { name: 'check, min / max', value: `${ms(Math.min(...times))} / ${ms(Math.max(...times))}` },
      { name: 'AWS calls a check', value: String(calls) },
    ];
  } finally {
    repo.cleanup();
    await fake.close();
  }
}
