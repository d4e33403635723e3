// `ionflow plan <pipeline> [--json]` end to end, in a temporary git repository.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appRepo, events, kinds } from '../support/app-repo.js';
import { runCli } from '../support/cli.js';
import { makeRepo, type TempRepo } from '../support/repo.js';

const CONFIG = `version: 1
apps:
  shop: {}
groups:
  dev: { app: shop, local: .ionflow/groups/dev }
pipelines:
  dev:
    description: Push and install
    steps:
      - run: [make, test]
      - push: shop
      - deploy: dev
        needs: [push-shop]
      - id: notify
        run: echo hi
        needs: []
      - wait: dev
        needs: [deploy-dev]
      - confirm: Done?
`;

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());
const setup = () => {
  repo = makeRepo({ 'deploy.yaml': CONFIG, '.gitignore': '.ionflow/\n' });
  return repo;
};

describe('ionflow plan', () => {
  it('lists the steps in topological order with what they need and whether they run', async () => {
    const { dir, env } = setup();
    const r = await runCli(['plan', 'dev', '--json'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.pipeline).toBe('dev');
    expect(plan.description).toBe('Push and install');
    expect(plan.steps.map((s: { id: string; needs: string[] }) => [s.id, s.needs])).toEqual([
      ['run-1', []],
      ['push-shop', ['run-1']],
      ['deploy-dev', ['push-shop']],
      ['notify', []],
      ['wait-dev', ['deploy-dev']],
      ['confirm-1', ['wait-dev']],
    ]);
    const state = Object.fromEntries(plan.steps.map((s: { id: string; state: string }) => [s.id, s.state]));
    expect(state['run-1']).toBe('run');
    expect(state['wait-dev']).toBe('run');
    // Nothing is pushed yet: push and deploy would run (or are unknown without a back end).
    expect(['run', 'unknown']).toContain(state['push-shop']);
    expect(['run', 'unknown']).toContain(state['deploy-dev']);
    expect(plan.steps[1]).toMatchObject({ kind: 'push', target: 'shop' });
  });

  it('--force marks every step to run', async () => {
    const { dir, env } = setup();
    const r = await runCli(['plan', 'dev', '--force', '--json'], { cwd: dir, env });
    expect(JSON.parse(r.stdout).steps.map((s: { state: string }) => s.state)).toEqual(Array(6).fill('run'));
  });

  it('prints a readable table', async () => {
    const { dir, env } = setup();
    const r = await runCli(['plan', 'dev', '--force'], { cwd: dir, env });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 3)).toEqual([
      'pipeline dev: Push and install',
      '  1.  run-1       run      make test  needs nothing     run',
      '  2.  push-shop   push     shop       needs run-1       run',
    ]);
  });

  it('changes nothing', async () => {
    const { dir, env, git } = setup();
    await runCli(['plan', 'dev'], { cwd: dir, env });
    expect(git('status', '--porcelain', '--ignored')).toBe('');
  });

  it('exits 2 for an unknown pipeline, listing the known ones', async () => {
    const { dir, env } = setup();
    const r = await runCli(['plan', 'prod'], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: unknown pipeline prod; deploy.yaml has dev\nhint: see them with: ionflow list\n');
  });

  it('shows the needs a run honours: a deploy waits for its app’s push even when its needs say []', async () => {
    repo = appRepo(`  dev:
    steps:
      - { deploy: dev, needs: [] }
      - { push: shop, needs: [] }
`);
    const r = await runCli(['plan', 'dev', '--json'], { cwd: repo.dir, env: repo.env });
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as { steps: { id: string; needs: string[] }[] };
    expect(plan.steps.map((s) => [s.id, s.needs])).toEqual([
      ['push-shop', []],
      ['deploy-dev', ['push-shop']],
    ]);
    // …which is the order the run takes.
    const run = await runCli(['run', 'dev', '--output', 'jsonl'], { cwd: repo.dir, env: repo.env });
    const order = kinds(events(run.stdout));
    expect(order.filter((k) => k.startsWith('step-start'))[0]).toBe('step-start:push-shop');
    if (order.includes('step-start:deploy-dev')) expect(order.indexOf('step-start:deploy-dev')).toBeGreaterThan(order.indexOf('step-end:push-shop'));
  });

  it('with a dirty tree and no --rev/--uname, shows the push blocked with the reason run exits 3 for', async () => {
    repo = appRepo();
    repo.write({ 'src/app.txt': 'edited, not committed\n' });
    const r = await runCli(['plan', 'dev', '--json'], { cwd: repo.dir, env: repo.env });
    expect(r.code, r.stderr).toBe(0);
    const steps = Object.fromEntries((JSON.parse(r.stdout).steps as { id: string; reason?: string }[]).map((s) => [s.id, s]));
    expect(steps['push-shop']).toMatchObject({
      state: 'blocked',
      reason: expect.stringContaining('You must either specify a uname or push from a clean git commit'),
    });
    expect(steps['push-shop']?.reason).toContain('src/app.txt');
    expect(steps['deploy-dev']).toMatchObject({ state: 'not run', reason: 'needs push-shop, which would not succeed' });
    const text = await runCli(['plan', 'dev'], { cwd: repo.dir, env: repo.env });
    expect(text.stdout).toMatch(/push-shop .* blocked: You must either specify a uname/);
    // --force does not lift it (a run refuses the dirty tree with --force too); --uname does.
    expect(JSON.parse((await runCli(['plan', 'dev', '--force', '--json'], { cwd: repo.dir, env: repo.env })).stdout).steps[0].state).toBe('blocked');
    expect(JSON.parse((await runCli(['plan', 'dev', '--uname', 'wip', '--json'], { cwd: repo.dir, env: repo.env })).stdout).steps[0].state).toBe('run');
    const run = await runCli(['run', 'dev', '--output', 'jsonl'], { cwd: repo.dir, env: repo.env });
    expect(run.code).toBe(3);
  });

  it('outside a git repository: one line saying so, a hint, exit 3 (plan and run)', async () => {
    repo = appRepo();
    rmSync(join(repo.dir, '.git'), { recursive: true, force: true });
    for (const args of [
      ['plan', 'dev'],
      ['run', 'dev', '--output', 'plain'],
    ]) {
      const r = await runCli(args, { cwd: repo.dir, env: repo.env });
      expect(r.code, r.stderr).toBe(3);
      // run: preflight (SPEC §14) says it first, as its one FAILED line, before exit 3.
      const where = repo.dir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      expect(r.stderr).toMatch(
        new RegExp(
          args[0] === 'run' ? `^FAILED +app shop: ${where} is not inside a git repository — fix: ` : `^error: ${where} is not inside a git repository$`,
          'm',
        ),
      );
      expect(r.stderr).toMatch(/^hint: /m);
      expect(r.stderr).not.toMatch(/fatal:/);
    }
  });
});
