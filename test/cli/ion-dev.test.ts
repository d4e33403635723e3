// The ion-dev back end end to end (SPEC §16): the built binary drives the
// stand-in `clojure` of test/support/fake-ion-dev/, put first on PATH, which
// answers like ion-dev (noise, then a pretty-printed EDN map) and logs every
// call it gets. Tests run concurrently: each ion-dev call starts a process.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StepEndEvent } from '../../src/engine/events.js';
import { events } from '../support/app-repo.js';
import { runCli } from '../support/cli.js';
import { makeRepo, type TempRepo } from '../support/repo.js';

const FAKE_BIN = join(import.meta.dirname, '../support/fake-ion-dev/bin');

const yaml = (appExtra = '', ionDevExtra = '') => `version: 1
apps:
  shop:
    ion-dev: { creds-profile: acme, region: us-east-1${ionDevExtra} }
${appExtra}groups:
  shop-query: { app: shop, ion-dev: { group: acme-query } }
  shop-primary: { app: shop, ion-dev: {} }
pipelines:
  ship:
    steps:
      - push: shop
      - deploy: shop-query
      - wait: { group: shop-query, poll: 1s }
`;

interface Setup {
  repo: TempRepo;
  run(args: string[], env?: NodeJS.ProcessEnv, onSpawn?: Parameters<typeof runCli>[1]['onSpawn']): ReturnType<typeof runCli>;
  /** The calls the stand-in got: its argv (after `clojure`) and working folder. */
  calls(): { argv: string[]; cwd: string }[];
}

async function withRepo(config: string, test: (s: Setup) => Promise<void>): Promise<void> {
  const repo = makeRepo({ 'deploy.yaml': config, '.gitignore': '.ionflow/\n', 'src/shop/core.clj': '(ns shop.core)\n' });
  const log = join(repo.home, 'calls.jsonl');
  const run: Setup['run'] = (args, env = {}, onSpawn) =>
    runCli(args, {
      cwd: repo.dir,
      env: { ...repo.env, PATH: `${FAKE_BIN}:${process.env.PATH}`, FAKE_ION_DEV_LOG: log, ...env },
      ...(onSpawn ? { onSpawn } : {}),
    });
  const calls = () =>
    existsSync(log)
      ? readFileSync(log, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { argv: string[]; cwd: string })
      : [];
  try {
    await test({ repo, run, calls });
  } finally {
    repo.cleanup();
  }
}

/** Running: a zombie (dead, not yet reaped; here PID 1 may never reap orphans) does not count. */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !/^\d+ \(.*\) Z/.test(stat);
};

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.concurrent('ionflow push (ion-dev app)', () => {
  it("runs ion-dev's push op in the app root and prints its map with an ionflow :deploy-command", () =>
    withRepo(yaml(), async ({ repo, run, calls }) => {
      const r = await run(['push'], { FAKE_ION_DEV_GROUPS: 'acme-primary acme-query' });
      expect(r.code).toBe(0);
      const sha = repo.head();
      expect(calls()).toEqual([{ argv: ['-A:ion-dev', '{:op :push :creds-profile "acme" :region "us-east-1"}'], cwd: repo.dir }]);
      // ion-dev's lines are progress on stderr; stdout holds exactly one map.
      expect(r.stderr).toContain('Downloading: com/datomic/ion-dev/1.0.306/ion-dev-1.0.306.pom from datomic-cloud');
      expect(r.stdout.trim().split('\n')).toHaveLength(1);
      expect(r.stdout).toContain(`:rev "${sha}"`);
      expect(r.stdout).toContain(':deploy-groups ["acme-primary" "acme-query"]');
      // The first group of deploy.yaml that ion-dev lists: shop-query deploys to acme-query.
      expect(r.stdout).toContain(`:deploy-command "ionflow deploy --group shop-query --rev ${sha}"`);
      expect(r.stdout).toContain(`:ion-dev-command "clojure -A:ion-dev '{:op :deploy, :group acme-primary, :rev \\"${sha}\\"}'"`);
    }));

  it('pushes a dirty tree with --uname, and prints JSON with --json', () =>
    withRepo(yaml(), async ({ repo, run, calls }) => {
      repo.write({ 'src/shop/core.clj': '(ns shop.core) ; work in progress\n' });
      const r = await run(['push', '--uname', 'janes-wip', '--json', '--creds-profile', 'jane']);
      expect(r.code).toBe(0);
      expect(calls()[0]!.argv[1]).toBe('{:op :push :uname "janes-wip" :creds-profile "jane" :region "us-east-1"}');
      const out = JSON.parse(r.stdout) as Record<string, unknown>;
      expect(out).toMatchObject({ uname: 'janes-wip', 'deploy-groups': [], 'deploy-command': 'ionflow deploy --group shop-query --uname janes-wip' });
      expect(out['ion-dev-command']).toBe(`clojure -A:ion-dev '{:op :deploy, :group <group>, :uname "janes-wip"}'`);
    }));

  it('refuses a dirty tree itself, exit 3, before ion-dev runs', () =>
    withRepo(yaml(), async ({ repo, run, calls }) => {
      repo.write({ 'src/shop/new.clj': '(ns shop.new)\n' });
      const r = await run(['push']);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('error: You must either specify a uname or push from a clean git commit');
      expect(calls()).toEqual([]);
      expect(r.stdout).toBe('');
    }));

  it("reads ion-dev's own clean-tree refusal as exit 3, and another :command-failed as exit 1, in ion-dev's words", () =>
    withRepo(yaml(), async ({ run }) => {
      const dirty = await run(['push'], { FAKE_ION_DEV_PUSH: 'dirty' });
      expect(dirty.code).toBe(3);
      expect(dirty.stderr).toContain('error: ion-dev push failed: You must either specify a uname or push from a clean git commit');
      expect(dirty.stdout).toBe('');
      const failed = await run(['push'], { FAKE_ION_DEV_PUSH: 'fail' });
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain('error: ion-dev push failed: Unable to find a unique code bucket.');
      expect(failed.stdout).toBe('');
    }));

  it('warns of dependency conflicts, listing each lib and version', () =>
    withRepo(yaml(), async ({ run }) => {
      const r = await run(['push'], { FAKE_ION_DEV_PUSH: 'conflicts' });
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(
        'warning: ion-dev reported dependency conflicts; Datomic Cloud uses com.cognitect/transit-java 0.8.332, com.fasterxml.jackson.core/jackson-core 2.10.1',
      );
      expect(r.stdout).toContain(':dependency-conflicts {:deps {');
    }));

  it('fails on dependency conflicts with dependency-conflicts: fail, except the allowed libs', () =>
    withRepo(yaml('    dependency-conflicts: fail\n    allow-conflicts: [com.cognitect/transit-java]\n'), async ({ run }) => {
      const r = await run(['push'], { FAKE_ION_DEV_PUSH: 'conflicts' });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /error: ion-dev pushed [0-9a-f]{40}, but Datomic Cloud overrides com\.fasterxml\.jackson\.core\/jackson-core 2\.10\.1 \(dependency-conflicts: fail\)/,
      );
      expect(r.stderr).not.toMatch(/error:.*transit-java/);
      expect(r.stdout).toBe('');
    }));

  it('says how to get ion-dev when clojure is not on PATH (exit 1)', () =>
    withRepo(yaml(), async ({ repo }) => {
      const r = await runCli(['push'], { cwd: repo.dir, env: { ...repo.env, PATH: '/usr/bin:/bin' } });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('error: cannot run ion-dev: clojure is not on PATH');
      expect(r.stderr).toMatch(/hint: install the Clojure CLI .*:ion-dev alias/);
    }));

  it('preflight only looks for the command on PATH: no ion-dev call; a missing one stops run with exit 3 first', () =>
    withRepo(yaml(), async ({ repo, run, calls }) => {
      const found = await run(['check']);
      expect(found.code).toBe(0);
      expect(found.stdout).toMatch(new RegExp(`^ok +ion-dev of shop: clojure is ${FAKE_BIN}/clojure`, 'm'));
      const noPath = { ...repo.env, PATH: '/usr/bin:/bin' };
      const missing = await runCli(['check'], { cwd: repo.dir, env: noPath });
      expect(missing.code).toBe(3);
      expect(missing.stdout).toMatch(/^FAILED +ion-dev of shop: clojure is not on PATH — fix: install the Clojure CLI /m);
      const refused = await runCli(['run', 'ship'], { cwd: repo.dir, env: noPath });
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain('ion-dev of shop: clojure is not on PATH');
      expect(calls()).toEqual([]);
    }));

  it('stops a push that outlives timeouts.push: the whole process group, exit 1', () =>
    withRepo(yaml('', ', timeouts: { push: 1s }'), async ({ repo, run }) => {
      const pids = join(repo.home, 'pids');
      const started = Date.now();
      const r = await run(['push'], { FAKE_ION_DEV_HANG: 'push', FAKE_ION_DEV_PIDS: pids });
      expect(r.code).toBe(1);
      expect(Date.now() - started).toBeLessThan(8000);
      expect(r.stderr).toContain('error: ion-dev push did not finish within 1s; it was stopped');
      expect(r.stderr).toContain('hint: give it longer with ion-dev.timeouts.push in deploy.yaml');
      const [ionDev, child] = readFileSync(pids, 'utf8').trim().split(' ').map(Number);
      expect(alive(ionDev!)).toBe(false);
      expect(alive(child!)).toBe(false);
    }));
});

describe.concurrent('ionflow deploy, deploy-status and run (ion-dev groups)', () => {
  it('runs push → deploy → wait with live output, records the deployment, and plans the deploy as up to date after', () =>
    withRepo(yaml(), async ({ repo, run, calls }) => {
      const state = join(repo.home, 'status-count');
      repo.git('config', 'user.email', 'jane@example.com');
      const r = await run(['run', 'ship', '--output', 'jsonl'], {
        FAKE_ION_DEV_PUSH: 'conflicts',
        FAKE_ION_DEV_STATUS: 'RUNNING,SUCCEEDED',
        FAKE_ION_DEV_STATE: state,
      });
      expect(r.code).toBe(0);
      const sha = repo.head();
      const ends = events(r.stdout).filter((e): e is StepEndEvent => e.type === 'step-end');
      expect(ends.map((e) => [e.step, e.status])).toEqual([
        ['push-shop', 'succeeded'],
        ['deploy-shop-query', 'succeeded'],
        ['wait-shop-query', 'succeeded'],
      ]);
      expect((ends[0] as unknown as Record<string, unknown>)['dependency-conflicts']).toEqual({
        'com.cognitect/transit-java': '0.8.332',
        'com.fasterxml.jackson.core/jackson-core': '2.10.1',
      });
      // Every line ion-dev printed is a log event of its step, as it came.
      const logs = events(r.stdout).filter((e) => e.type === 'log') as unknown as { step: string; line: string; event?: string }[];
      for (const step of ['push-shop', 'deploy-shop-query', 'wait-shop-query']) {
        expect(logs).toContainEqual(expect.objectContaining({ step, line: 'Downloading: com/datomic/ion-dev/1.0.306/ion-dev-1.0.306.pom from datomic-cloud' }));
      }
      expect(logs).toContainEqual(expect.objectContaining({ step: 'wait-shop-query', line: '{:deploy-status "RUNNING", :code-deploy-status "InProgress"}' }));
      expect(logs.some((l) => 'event' in l)).toBe(false);
      const ops = calls().map((c) => c.argv[1]);
      expect(ops[1]).toBe(`{:op :deploy :group "acme-query" :rev "${sha}" :creds-profile "acme" :region "us-east-1"}`);
      expect(ops.slice(2)).toHaveLength(2);
      expect(ops[2]).toMatch(
        /^\{:op :deploy-status :execution-arn "arn:aws:states:us-east-1:123456789012:execution:datomic-acme-query:acme-query-[0-9a-f]{40}-\d+" :creds-profile "acme" :region "us-east-1"\}$/,
      );

      // The SPEC §11 record, rewritten once the wait saw SUCCEEDED.
      const dir = join(repo.dir, '.ionflow/ledger/shop/shop-query');
      const files = readdirSync(dir);
      expect(files).toHaveLength(1);
      const record = JSON.parse(readFileSync(join(dir, files[0]!), 'utf8')) as Record<string, unknown>;
      expect(record).toMatchObject({
        group: 'shop-query',
        app: 'shop',
        rev: sha,
        'deploy-status': 'SUCCEEDED',
        by: expect.stringMatching(/^jane@example\.com on \S/),
      });
      expect(files[0]).toBe(`${String(record['execution-arn']).split(':').pop()}.json`);
      expect(Object.keys(record).sort()).toEqual(['app', 'by', 'deploy-status', 'ended-at', 'execution-arn', 'group', 'rev', 'run', 'started-at']);

      const plan = await run(['plan', 'ship', '--json']);
      const steps = (JSON.parse(plan.stdout) as { steps: { id: string; upToDate?: unknown; status?: string }[] }).steps;
      expect(JSON.stringify(steps.find((s) => s.id === 'deploy-shop-query'))).toMatch(/skip|up.to.date/i);
      expect(JSON.stringify(steps.find((s) => s.id === 'push-shop'))).not.toMatch(/skip|up.to.date/i);
    }));

  it('deploys by flags; deploy-status reads FAILED as exit 1 and records it', () =>
    withRepo(yaml(), async ({ repo, run, calls }) => {
      const sha = repo.head();
      const d = await run(['deploy', '--group', 'shop-primary', '--rev', sha]);
      expect(d.code).toBe(0);
      expect(calls()[0]!.argv[1]).toBe(`{:op :deploy :group "shop-primary" :rev "${sha}" :creds-profile "acme" :region "us-east-1"}`);
      const arn = /:execution-arn "([^"]+)"/.exec(d.stdout)?.[1];
      expect(arn).toMatch(/^arn:aws:states:/);
      expect(d.stdout).toContain(`:status-command "ionflow deploy-status --execution-arn ${arn}"`);

      const s = await run(['deploy-status', '--execution-arn', arn!], { FAKE_ION_DEV_STATUS: 'FAILED' });
      expect(s.code).toBe(1);
      expect(s.stdout.trim()).toBe('{:deploy-status "FAILED" :code-deploy-status "FAILED"}');
      const dir = join(repo.dir, '.ionflow/ledger/shop/shop-primary');
      const record = JSON.parse(readFileSync(join(dir, readdirSync(dir)[0]!), 'utf8')) as Record<string, unknown>;
      expect(record['deploy-status']).toBe('FAILED');
      expect(record['ended-at']).toEqual(expect.any(String));
    }));

  it('fails the wait of a FAILED deployment (exit 1), the summary warning of conflicts; deploy-status --wait looks first at 2 s', () =>
    withRepo(yaml(), async ({ repo, run, calls }) => {
      const failed = await run(['run', 'ship'], { FAKE_ION_DEV_STATUS: 'FAILED', FAKE_ION_DEV_PUSH: 'conflicts' });
      expect(failed.code).toBe(1);
      // The summary warns of the push's conflicts, lib by lib.
      expect(failed.stderr).toContain(
        'warning: push-shop: ion-dev reported dependency conflicts; Datomic Cloud uses com.cognitect/transit-java 0.8.332, com.fasterxml.jackson.core/jackson-core 2.10.1',
      );
      expect(failed.stderr).toMatch(/error: .*deployment arn:aws:states:\S+ of group shop-query FAILED/);
      const arn = /"(arn:aws:states:[^"]+)"/.exec(calls()[2]!.argv[1]!)?.[1];

      const started = Date.now();
      const waited = await run(['deploy-status', '--execution-arn', arn!, '--wait'], { FAKE_ION_DEV_STATUS: 'SUCCEEDED' });
      expect(waited.code).toBe(0);
      expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
      expect(calls()).toHaveLength(4); // push, deploy, the wait's look, and one look by --wait
      expect(waited.stdout.trim()).toBe('{:deploy-status "SUCCEEDED" :code-deploy-status "SUCCEEDED"}');
      expect(repo.head()).toMatch(/^[0-9a-f]{40}$/);
    }));

  it('Ctrl-C kills the ion-dev process group at once and exits 130', () =>
    withRepo(yaml(), async ({ repo, run }) => {
      const pids = join(repo.home, 'pids');
      let sent = 0;
      const r = await run(['deploy', '--group', 'shop-query', '--rev', repo.head()], { FAKE_ION_DEV_HANG: 'deploy', FAKE_ION_DEV_PIDS: pids }, (child) => {
        until(() => existsSync(pids) && readFileSync(pids, 'utf8').includes(' ')).then(() => {
          sent = Date.now();
          child.kill('SIGINT');
        });
      });
      expect(r.code).toBe(130);
      expect(Date.now() - sent).toBeLessThan(1500);
      const [ionDev, child] = readFileSync(pids, 'utf8').trim().split(' ').map(Number);
      expect(alive(ionDev!)).toBe(false);
      expect(alive(child!)).toBe(false);
      expect(existsSync(join(repo.dir, '.ionflow/ledger'))).toBe(false);
    }));
});
