// `npm run bench -- push`: ionflow push vs `aws deploy push` (the AWS CLI on
// this machine) against the same s3rver and fake CodeDeploy endpoint, on
// generated repos of 200 files / ~2 MiB and 5,000 files / ~140 MiB; the
// second push of a commit vs its first; peak RSS pushing a 1 GiB revision.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadTestSupport } from './support/compile-support.mjs';
import { generateRepo, newCommit } from './support/generate-repo.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = `${root}bench/.work`;
const BIN = `${root}bin/ionflow.js`;
const MiB = 1024 * 1024;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;

/** Run a command; resolve its wall time (ms) and the peak RSS (VmHWM, KiB) of the process itself. */
function timed(file, args, env) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let hwm = 0;
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const sample = () => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) hwm = Math.max(hwm, Number(m[1]));
      } catch {}
    };
    const timer = setInterval(sample, 50);
    child.on('exit', () => clearInterval(timer));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code !== 0) reject(new Error(`${file} ${args.join(' ')} exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
      else {
        const tool = file === process.execPath ? 'ionflow' : file;
        console.error(`  ${secs(ms)}  ${tool} ${args.slice(-3).join(' ')}`);
        resolve({ ms, hwmKiB: hwm, stderr });
      }
    });
  });
}

function awsCliVersion() {
  try {
    return execFileSync('aws', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
    return undefined;
  }
}

function writeConfig(name, repoDir) {
  const dir = `${work}/cfg-${name}`;
  mkdirSync(dir, { recursive: true });
  const file = `${dir}/deploy.yaml`;
  writeFileSync(
    file,
    `version: 1
profiles:
  bench:
    region: us-east-1
apps:
  bench:
    root: ${repoDir}
    ion-config: ${repoDir}/resources/datomic/ion-config.edn
    store:
      s3: { bucket: bench, prefix: ionflow/${name}/, profile: bench }
pipelines: {}
`,
  );
  return file;
}

// The large repo, shared by the large case and the second-push case (which can run alone).
const LARGE = { files: 5000, bytes: 140 * MiB };

/** Second push of the same commit vs its first push (large repo). */
async function secondPushRows(ionflow) {
  const large = `${work}/repo-large`;
  generateRepo(large, LARGE); // at once when the large case above made it already
  const largeConfig = writeConfig('large', large);
  const firsts = [];
  const seconds = [];
  for (let i = 0; i < 3; i++) {
    newCommit(large, `bench ${Date.now()} ${i}`);
    firsts.push((await ionflow(largeConfig)).ms);
    const again = await ionflow(largeConfig);
    if (!/skipped \(up to date\)/.test(again.stderr)) throw new Error('the second push was not skipped');
    seconds.push(again.ms);
  }
  const skipRatio = median(seconds) / median(firsts);
  return [
    { name: 'large: first push of a commit, median', value: secs(median(firsts)) },
    { name: 'large: second push of the same commit, median', value: secs(median(seconds)) },
    { name: 'second/first push ratio', value: skipRatio.toFixed(3), target: '≤ 0.1', met: skipRatio <= 0.1 },
  ];
}

/** Peak RSS of ionflow (the node process) pushing a 1 GiB revision. */
async function hugePushRows(ionflow) {
  const huge = `${work}/repo-1gib`;
  generateRepo(huge, { files: 17, bytes: 1024 * MiB, binaryShare: 1, binaryFiles: 16 });
  const run = await ionflow(writeConfig('huge', huge), '--force');
  const size = /pushed bench \S+: ([\d.]+ \w+)/.exec(run.stderr)?.[1] ?? '?';
  const peak = run.hwmKiB / 1024;
  return [
    { name: `1 GiB revision (${size} zip) push wall time`, value: secs(run.ms) },
    { name: 'peak RSS of ionflow pushing it', value: `${peak.toFixed(0)} MiB`, target: '≤ 150 MiB', met: peak <= 150 },
  ];
}

// PUSH_BENCH=small,large,second,huge runs only those parts (default: all).
const parts = new Set((process.env.PUSH_BENCH ?? 'small,large,second,huge').split(','));

export default async function pushBench() {
  if (!existsSync(`${root}dist/cli/main.js`)) throw new Error('build first: npm run build');
  mkdirSync(work, { recursive: true });
  const rows = [];
  const support = await loadTestSupport();
  const s3 = await support.startS3rver({ bucket: 'bench' });
  const fake = await support.startFakeAwsEndpoint();
  support.addApplication(fake.state, 'bench', ['dev']);
  const env = {
    ...process.env,
    ...support.S3RVER_CREDENTIALS,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: `${work}/no-aws-config`,
    AWS_SHARED_CREDENTIALS_FILE: `${work}/no-aws-credentials`,
    AWS_ENDPOINT_URL_S3: s3.url,
    AWS_ENDPOINT_URL_CODEDEPLOY: fake.url,
    // s3rver needs checksums only when required (see STYLE.md); the same for both tools.
    AWS_REQUEST_CHECKSUM_CALCULATION: 'when_required',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'when_required',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    NO_COLOR: '1',
  };
  const ionflow = (config, ...args) => timed(process.execPath, [BIN, '-c', config, 'push', ...args], env);
  const awsPush = (name, repoDir, i) =>
    timed(
      'aws',
      ['deploy', 'push', '--application-name', 'bench', '--s3-location', `s3://bench/aws/${name}/${i}.zip`,
        '--source', repoDir, '--ignore-hidden-files', '--endpoint-url', fake.url],
      env,
    );

  try {
    const awsVersion = awsCliVersion();
    const cases = [
      { name: 'small', files: 200, bytes: 2 * MiB, runs: 5 },
      { name: 'large', ...LARGE, runs: 3 },
    ].filter((c) => parts.has(c.name));
    for (const c of cases) {
      const repoDir = `${work}/repo-${c.name}`;
      generateRepo(repoDir, { files: c.files, bytes: c.bytes });
      const config = writeConfig(c.name, repoDir);
      const ours = [];
      const theirs = [];
      // One untimed run each first: both tools then read the repo from a warm
      // page cache (the AWS CLI reads the working tree, ionflow git's objects;
      // a cold read of either skews the ratio by a second or more on the large repo).
      await ionflow(config, '--force');
      if (awsVersion) await awsPush(c.name, repoDir, 'warm');
      for (let i = 0; i < c.runs; i++) {
        ours.push((await ionflow(config, '--force')).ms);
        if (awsVersion) theirs.push((await awsPush(c.name, repoDir, i)).ms);
      }
      rows.push({ name: `${c.name} (${c.files} files, ${c.bytes / MiB} MiB) ionflow push median`, value: secs(median(ours)) });
      if (!awsVersion) {
        rows.push({ name: `${c.name} aws deploy push`, value: 'not measured: the AWS CLI (aws) is not installed' });
        continue;
      }
      rows.push({ name: `${c.name} aws deploy push median (${awsVersion.split(' ')[0]})`, value: secs(median(theirs)) });
      const ratio = median(ours) / median(theirs);
      rows.push({ name: `${c.name} ionflow/aws wall-time ratio`, value: ratio.toFixed(2), target: '≤ 0.6', met: ratio <= 0.6 });
      // For reference: git's own zip of the same commit (single-threaded deflate), to a file.
      const gitAlone = await timed('git', ['-C', repoDir, 'archive', '--format=zip', '-o', `${work}/floor-${c.name}.zip`, 'HEAD'], env);
      rows.push({ name: `${c.name} git archive --format=zip alone (to a file, for reference)`, value: secs(gitAlone.ms) });
    }

    if (parts.has('second')) rows.push(...(await secondPushRows(ionflow)));
    if (parts.has('huge')) rows.push(...(await hugePushRows(ionflow)));
  } finally {
    await fake.close();
    await s3.stop();
  }
  return rows;
}
