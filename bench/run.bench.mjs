// `ionflow run dev` on an unchanged repository (push and deploy both up to
// date) against `node -e 0`: the cost of starting, loading the config, asking
// the store and the group, and rendering. Target ≤ 2× (issue 18).
// Also exports the temp-repository helpers the other pipeline benches use.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../bin/ionflow.js', import.meta.url));

export function makeAppRepo(deployYaml, files = {}) {
  const home = mkdtempSync(join(tmpdir(), 'ionflow-bench-'));
  const dir = join(home, 'repo');
  mkdirSync(dir);
  const env = {
    ...process.env,
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: join(home, '.gitconfig'),
    GIT_AUTHOR_NAME: 'Bench',
    GIT_AUTHOR_EMAIL: 'bench@example.com',
    GIT_COMMITTER_NAME: 'Bench',
    GIT_COMMITTER_EMAIL: 'bench@example.com',
    NO_COLOR: '1',
    CI: '',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const git = (...args) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' }).trim();
  const write = (more) => {
    for (const [path, content] of Object.entries(more)) {
      const full = join(dir, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
      if (path.endsWith('.sh')) chmodSync(full, 0o755);
    }
  };
  git('init', '-q', '-b', 'main');
  write({ 'deploy.yaml': deployYaml, '.gitignore': '.ionflow/\n', 'src/app.txt': 'hello\n', ...files });
  const commit = (message, more = {}) => {
    write(more);
    git('add', '-A');
    git('commit', '-q', '-m', message);
    return git('rev-parse', 'HEAD');
  };
  commit('initial');
  return { dir, env, git, commit, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

export function localYaml(groups, pipelines) {
  const g = groups.map((k) => `  ${k}:\n    app: shop\n    local: .ionflow/groups/${k}\n`).join('');
  return `version: 1\napps:\n  shop:\n    store:\n      local: .ionflow/store\ngroups:\n${g}pipelines:\n${pipelines}`;
}

export function timeCli(repo, args) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], { cwd: repo.dir, env: repo.env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`ionflow ${args.join(' ')} exited ${code}: ${err}`))));
  });
}

function timeNode() {
  return new Promise((resolve) => {
    const t0 = performance.now();
    spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' }).on('close', () => resolve(performance.now() - t0));
  });
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
export const ms = (x) => `${x.toFixed(0)} ms`;

export default async function bench() {
  const repo = makeAppRepo(localYaml(['dev'], '  dev:\n    steps:\n      - push: shop\n      - deploy: dev\n      - wait: dev\n'));
  try {
    await timeCli(repo, ['run', 'dev', '--output', 'plain']); // push and deploy once
    const runs = [];
    const nodes = [];
    for (let i = 0; i < 10; i++) {
      nodes.push(await timeNode());
      runs.push(await timeCli(repo, ['run', 'dev', '--output', 'plain']));
    }
    const ratio = median(runs) / median(nodes);
    return [
      {
        name: 'unchanged run dev (push + deploy up to date, local) / node -e 0, medians of 10 alternating',
        value: `${ratio.toFixed(2)}× (${ms(median(runs))} / ${ms(median(nodes))})`,
        target: '≤ 2×',
        met: ratio <= 2,
      },
    ];
  } finally {
    repo.cleanup();
  }
}
