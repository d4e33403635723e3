// `npm run build`'s last step: writes the V8 code caches that
// ./code-cache.ts loads the bundles with. A cache taken right after compiling
// holds little (V8 compiles a function when it first runs), so this runs the
// built CLI through the commands users run most, in one process, and takes
// each bundle's cache at its exit (IONFLOW_CODE_CACHE_TRAIN=1): validate,
// plan, list and status, a run that pushes and deploys to a local group and
// the same run again (up to date), and a push and a re-push to S3 and
// CodeDeploy, answered by a small stand-in server in this process.
//
// The commands' own output and exit codes do not matter here, only the code
// they ran; what must hold is that every bundle the CLI loaded got its cache.
// Nothing of the build is loaded through code-cache.js before this, so the
// caches hold only what the commands ran.

import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';

// Before the first bundle loads: code-cache.js keeps what it compiles for writeTrainedCaches().
process.env.IONFLOW_CODE_CACHE_TRAIN = '1';
const { registry, requireBundle, writeTrainedCaches } = await import('../../dist/lazy/code-cache.js');
// git through the CLI's own process module (the only one that starts processes).
const { run: runProcess } = await import('../../dist/process.js');

const home = mkdtempSync(join(tmpdir(), 'ionflow-train-'));
const server = await standIn();
try {
  await train();
  writeTrainedCaches();
  const missing = [...registry().exports.keys()].filter((path) => !existsSync(`${path}.v8cache`));
  if (missing.length > 0) throw new Error(`no code cache was written for ${missing.join(', ')}`);
} finally {
  server.close();
  rmSync(home, { recursive: true, force: true });
}
process.exit(0); // the SDK's idle keep-alive sockets would hold the process open

async function train() {
  const repo = join(home, 'repo');
  mkdirSync(join(repo, 'src'), { recursive: true });
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: join(home, '.gitconfig'),
    GIT_AUTHOR_NAME: 'ionflow build',
    GIT_AUTHOR_EMAIL: 'build@ionflow.invalid',
    GIT_COMMITTER_NAME: 'ionflow build',
    GIT_COMMITTER_EMAIL: 'build@ionflow.invalid',
    NO_COLOR: '1',
    CI: 'true',
    AWS_ACCESS_KEY_ID: 'AKIDTRAINING',
    AWS_SECRET_ACCESS_KEY: 'training',
    AWS_REGION: 'us-east-1',
    AWS_MAX_ATTEMPTS: '1',
    AWS_CONFIG_FILE: join(home, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-aws-credentials'),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  Object.assign(process.env, env); // the SDK reads its settings and credentials from the process's own environment
  const git = (...args) => runProcess('git', args, { cwd: repo, env });
  await git('init', '-q', '-b', 'main');
  writeFileSync(join(repo, '.gitignore'), '.ionflow/\n');
  writeFileSync(join(repo, 'src', 'app.txt'), 'hello\n');
  writeFileSync(join(repo, 'deploy.yaml'), deployYaml(server.url));
  await git('add', '-A');
  await git('commit', '-q', '-m', 'training');

  const { main } = requireBundle(new URL('../../dist/lazy/ionflow.cjs', import.meta.url));
  const sink = () => new Writable({ write: (_chunk, _encoding, done) => done() });
  for (const argv of [
    ['validate'],
    ['list'],
    ['plan', 'dev'],
    ['run', 'dev'],
    ['run', 'dev'],
    ['status'],
    ['push', '--app', 'cloud'],
    ['push', '--app', 'cloud'],
    ['plan', 'cloud'],
  ]) {
    await main(argv, { cwd: repo, env, stdout: sink(), stderr: sink(), signal: new AbortController().signal });
  }
}

function deployYaml(endpoint) {
  return `version: 1
profiles:
  cloud:
    region: us-east-1
    endpoints: { s3: ${endpoint}, codedeploy: ${endpoint}, sfn: ${endpoint}, sts: ${endpoint} }
apps:
  shop:
    store:
      local: .ionflow/store
  cloud:
    store:
      s3: { bucket: training, profile: cloud }
groups:
  dev:
    app: shop
    local: .ionflow/groups/dev
  cloud:
    app: cloud
    aws: { profile: cloud, via: codedeploy }
pipelines:
  dev:
    steps:
      - push: shop
      - deploy: dev
      - wait: dev
  cloud:
    steps:
      - push: cloud
      - deploy: cloud
`;
}

/**
 * Answers S3 and the JSON APIs the way a store would: PUT keeps the object,
 * HEAD and GET return it or NoSuchKey; JSON calls answer an empty object.
 */
function standIn() {
  const objects = new Map();
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const key = req.url.split('?')[0];
      const object = objects.get(key);
      if (req.headers['x-amz-target']) {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end('{}');
      } else if (req.method === 'PUT') {
        objects.set(key, Buffer.concat(chunks));
        res.writeHead(200, { etag: '"d41d8cd98f00b204e9800998ecf8427e"' }).end();
      } else if (object) {
        res.writeHead(200, { 'content-length': object.length, etag: '"d41d8cd98f00b204e9800998ecf8427e"' }).end(req.method === 'HEAD' ? undefined : object);
      } else {
        const body = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>none</Message></Error>';
        res.writeHead(404, { 'content-type': 'application/xml' }).end(req.method === 'HEAD' ? undefined : body);
      }
    });
  });
  const close = () => {
    server.close();
    server.closeAllConnections();
  };
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}`, close })));
}
