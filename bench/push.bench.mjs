// `npm run bench -- push`: ionflow push vs `aws deploy push` (the AWS CLI on
// this machine) against the same s3rver and fake CodeDeploy endpoint,
// alternating runs, medians: a small Ions app (10 files) with a breakdown of
// where its milliseconds go, and a 5,000-file / ~100 MiB repository (three
// 30 MiB binaries); then the up-to-date re-push of a commit vs its push.
// PUSH_BENCH=small,large,repush runs only those parts (default: all).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startPushServers, writeS3Config } from './support/push-servers.mjs';
import { generateRepo, newCommit } from './support/generate-repo.mjs';
import { MiB, measure, median, secs } from './support/measure.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = `${root}bench/.work`;
const BIN = `${root}bin/ionflow.js`;
const TRACE = fileURLToPath(new URL('./support/trace.cjs', import.meta.url));

export const SMALL = { name: 'small', files: 10, bytes: 40 * 1024, binaryShare: 0, runs: 9 };
export const LARGE = { name: 'large', files: 5000, bytes: 100 * MiB, binaryShare: 0.9, binaryFiles: 3, runs: 5 };

function awsCliVersion() {
  try {
    return execFileSync('aws', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
      .trim()
      .split(' ')[0];
  } catch {
    return undefined;
  }
}

/** Union length of [start, end] intervals (ms). */
function covered(intervals) {
  let total = 0;
  let until = -Infinity;
  for (const [s, e] of [...intervals].sort((a, b) => a[0] - b[0])) {
    if (e <= until) continue;
    total += e - Math.max(s, until);
    until = e;
  }
  return total;
}

/** Where a small push's time goes, from traces of `runs` pushes (medians, ms). */
async function breakdown(servers, config, runs) {
  const parts = { boot: [], first: [], git: [], s3: [], codedeploy: [], tail: [], wall: [] };
  for (let i = 0; i < runs; i++) {
    const file = `${work}/trace.jsonl`;
    rmSync(file, { force: true });
    const env = { ...servers.env, NODE_OPTIONS: `--require ${TRACE}`, IONFLOW_BENCH_TRACE: file };
    const run = await measure(process.execPath, [BIN, '-c', config, 'push', '--force'], { env });
    const events = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const exit = events.find((e) => e.kind === 'exit').start;
    const spans = (pred) => events.filter(pred).map((e) => [e.start, e.end ?? exit]);
    const calls = events.filter((e) => e.kind === 'process' || e.kind === 'http');
    const boot = events.find((e) => e.kind === 'boot').start;
    parts.boot.push(boot);
    parts.first.push(Math.min(...calls.map((e) => e.start)) - boot);
    parts.git.push(covered(spans((e) => e.kind === 'process')));
    parts.s3.push(covered(spans((e) => e.kind === 'http' && e.port === servers.s3Port)));
    parts.codedeploy.push(covered(spans((e) => e.kind === 'http' && e.port === servers.fakePort)));
    parts.tail.push(exit - Math.max(...calls.map((e) => e.end ?? exit)));
    parts.wall.push(run.ms);
  }
  const m = (k) => `${median(parts[k]).toFixed(0)} ms`;
  return [
    {
      name: 'small push, where the time goes (median)',
      value: `node start ${m('boot')} · loading + config → first git call ${m('first')} · git ${m('git')} · S3 ${m('s3')} · CodeDeploy ${m('codedeploy')} · last call → exit ${m('tail')} · wall ${m('wall')}`,
    },
  ];
}

/** ionflow vs aws deploy push on one repository, alternating; one untimed run each first (warm page cache). */
async function versus(servers, c, awsVersion, target) {
  const repoDir = `${work}/repo-${c.name}`;
  generateRepo(repoDir, c);
  const config = writeS3Config(work, c.name, repoDir);
  const ionflow = () => measure(process.execPath, [BIN, '-c', config, 'push', '--force'], { env: servers.env });
  const aws = (i) =>
    measure(
      'aws',
      [
        'deploy',
        'push',
        '--application-name',
        'bench',
        '--s3-location',
        `s3://bench/aws/${c.name}/${i}.zip`,
        '--source',
        repoDir,
        '--ignore-hidden-files',
        '--endpoint-url',
        servers.fakeUrl,
      ],
      { env: servers.env },
    );
  await ionflow();
  if (awsVersion) await aws('warm');
  const ours = [];
  const theirs = [];
  for (let i = 0; i < c.runs; i++) {
    ours.push((await ionflow()).ms);
    if (awsVersion) theirs.push((await aws(i)).ms);
  }
  const label = `push ${c.name} (${c.files} files, ${(c.bytes / MiB).toFixed(c.bytes < MiB ? 2 : 0)} MiB)`;
  if (!awsVersion)
    return {
      config,
      rows: [
        { name: `${label}: ionflow, median of ${c.runs}`, value: secs(median(ours)) },
        { name: `${label}: aws deploy push`, value: 'not measured: the AWS CLI is not installed' },
      ],
    };
  const ratio = median(ours) / median(theirs);
  return {
    config,
    rows: [
      {
        name: `${label}: ionflow / aws deploy push (${awsVersion}), medians of ${c.runs} alternating`,
        value: `${ratio.toFixed(2)}× (${secs(median(ours))} / ${secs(median(theirs))})`,
        target: `≤ ${target}×`,
        met: ratio <= target,
      },
    ],
  };
}

/** The up-to-date re-push of a commit vs its push (large repo), alternating. */
async function repushRows(servers) {
  const repoDir = `${work}/repo-${LARGE.name}`;
  generateRepo(repoDir, LARGE);
  const config = writeS3Config(work, LARGE.name, repoDir);
  const push = () => measure(process.execPath, [BIN, '-c', config, 'push'], { env: servers.env });
  const firsts = [];
  const agains = [];
  for (let i = 0; i < LARGE.runs; i++) {
    newCommit(repoDir, `bench ${Date.now()} ${i}`);
    firsts.push((await push()).ms);
    const again = await push();
    if (!/skipped \(up to date\)/.test(again.stderr)) throw new Error('the re-push was not skipped');
    agains.push(again.ms);
  }
  const ratio = median(agains) / median(firsts);
  return [
    {
      name: `re-push of an up-to-date commit / its push (large), medians of ${LARGE.runs}`,
      value: `${ratio.toFixed(3)} (${secs(median(agains))} / ${secs(median(firsts))})`,
      target: '≤ 0.1',
      met: ratio <= 0.1,
    },
  ];
}

const parts = new Set((process.env.PUSH_BENCH ?? 'small,large,repush').split(','));

export default async function pushBench() {
  if (!existsSync(`${root}dist/cli/main.js`)) throw new Error('build first: npm run build');
  mkdirSync(work, { recursive: true });
  const servers = await startPushServers(work);
  const rows = [];
  try {
    const awsVersion = awsCliVersion();
    if (parts.has('small')) {
      const small = await versus(servers, SMALL, awsVersion, 0.5);
      rows.push(...small.rows, ...(await breakdown(servers, small.config, 5)));
    }
    if (parts.has('large')) rows.push(...(await versus(servers, LARGE, awsVersion, 0.45)).rows);
    if (parts.has('repush')) rows.push(...(await repushRows(servers)));
  } finally {
    await servers.close();
  }
  return rows;
}
