// A stand-in for Datomic's ion-dev, run as `clojure -A:ion-dev '<op map>'`
// (bin/clojure puts it first on PATH). It answers the documented ops with the
// documented keys, printed as ion-dev prints them: Maven-like noise first,
// then a pretty-printed EDN map (lists as (), the execution ARN a symbol).
// Each test scripts it through environment variables:
//   FAKE_ION_DEV_LOG     file: one JSON line per call, {argv, cwd}
//   FAKE_ION_DEV_PUSH    ok (default) | dirty | conflicts | uname-echo | fail | no-map
//   FAKE_ION_DEV_GROUPS  comma-separated :deploy-groups (default none)
//   FAKE_ION_DEV_DEPLOY  ok (default) | fail
//   FAKE_ION_DEV_STATUS  comma-separated :deploy-status answers, one per call
//                        (the last repeats), e.g. RUNNING,SUCCEEDED; FAILED
//   FAKE_ION_DEV_STATE   file counting deploy-status calls (needed with a sequence)
//   FAKE_ION_DEV_HANG    push | deploy | deploy-status: hang there, with a child
//   FAKE_ION_DEV_PIDS    file: the pids of this process and its child when hanging

const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');

const env = process.env;
const [alias, opText] = process.argv.slice(2);
if (env.FAKE_ION_DEV_LOG) fs.appendFileSync(env.FAKE_ION_DEV_LOG, `${JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd() })}\n`);

const out = (s) => process.stdout.write(`${s}\n`);
const field = (key) => {
  const m = new RegExp(`:${key} "([^"]*)"`).exec(opText ?? '');
  return m ? m[1] : undefined;
};
const op = /:op :([a-z-]+)/.exec(opText ?? '')?.[1];

if (alias !== '-A:ion-dev' || !op) {
  process.stderr.write(`Usage: clojure -A:ion-dev '{:op ...}' (got ${JSON.stringify(process.argv.slice(2))})\n`);
  process.exit(2);
}

// What the Clojure CLI prints while it resolves ion-dev's deps.
out('Downloading: com/datomic/ion-dev/1.0.306/ion-dev-1.0.306.pom from datomic-cloud');
out('Downloading: com/datomic/ion-dev/1.0.306/ion-dev-1.0.306.jar from datomic-cloud');
process.stderr.write('WARNING: an illegal {reflective access operation has occurred\n');

if (env.FAKE_ION_DEV_HANG === op) {
  const child = spawn('sleep', ['300'], { stdio: 'inherit' });
  if (env.FAKE_ION_DEV_PIDS) fs.writeFileSync(env.FAKE_ION_DEV_PIDS, `${process.pid} ${child.pid}\n`);
  out(`(${op}: waiting on AWS)`);
  setInterval(() => {}, 1e6);
} else {
  answer();
}

const failed = (message, code = 1) => {
  out(`{:command-failed "${opText.replace(/"/g, '\\"')}",\n :causes\n ({:message\n   "${message}",\n   :class ExceptionInfo})}`);
  process.exit(code);
};

function answer() {
if (op === 'push') {
  const mode = env.FAKE_ION_DEV_PUSH ?? 'ok';
  if (mode === 'dirty') failed('You must either specify a uname or push from a clean git commit');
  if (mode === 'fail') failed('Unable to find a unique code bucket. Make sure that you are running Datomic Cloud in the region you are deploying to.');
  if (mode === 'no-map') {
    out('Execution error (ExceptionInfo) at datomic.ion.dev/push');
    process.exit(0);
  }
  const uname = field('uname');
  const rev = uname === undefined ? execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim() : undefined;
  const groups = (env.FAKE_ION_DEV_GROUPS ?? '').split(',').filter(Boolean);
  const which = uname !== undefined ? `:uname "${uname}"` : `:rev "${rev}"`;
  const conflicts =
    mode === 'conflicts'
      ? ` :dependency-conflicts\n {:deps\n  {com.cognitect/transit-java #:mvn{:version "0.8.332"},\n   com.fasterxml.jackson.core/jackson-core {:mvn/version "2.10.1"}},\n  :doc\n  "The :push operation overrode these dependencies to match versions already running in Datomic Cloud. To test locally, add these explicit deps to your deps.edn."},\n`
      : '';
  out(
    `{${which},\n :deploy-groups (${groups.map((g) => `"${g}"`).join(' ')}),\n${conflicts} :deploy-command\n "clojure -A:ion-dev '{:op :deploy, :group ${groups[0] ?? '<group>'}, ${which.replace(/"/g, '\\"')}}'",\n :doc\n "To deploy, issue the :deploy-command, replacing <group> with a group from :deploy-groups"}`,
  );
  process.exit(0);
}

if (op === 'deploy') {
  const group = field('group');
  const name = field('rev') ?? field('uname');
  if (env.FAKE_ION_DEV_DEPLOY === 'fail') failed(`No revision ${name} found for app; push it first`);
  const arn = `arn:aws:states:us-east-1:123456789012:execution:datomic-${group}:${group}-${name}-${Date.now()}`;
  out(
    `{:execution-arn\n ${arn},\n :status-command\n "clojure -A:ion-dev '{:op :deploy-status, :execution-arn ${arn}}'",\n :doc\n "To check the status of your deployment, issue the :status-command."}`,
  );
  process.exit(0);
}

if (op === 'deploy-status') {
  const answers = (env.FAKE_ION_DEV_STATUS ?? 'SUCCEEDED').split(',');
  let n = 0;
  if (env.FAKE_ION_DEV_STATE) {
    n = fs.existsSync(env.FAKE_ION_DEV_STATE) ? Number(fs.readFileSync(env.FAKE_ION_DEV_STATE, 'utf8')) : 0;
    fs.writeFileSync(env.FAKE_ION_DEV_STATE, String(n + 1));
  }
  const word = answers[Math.min(n, answers.length - 1)];
  const code = word === 'RUNNING' ? 'InProgress' : word;
  out(`{:deploy-status "${word}", :code-deploy-status "${code}"}`);
  process.exit(0);
}

failed(`Unknown op ${op}`);
}
