// `ionflow plan <pipeline> [--json]` end to end, in a temporary git repository.

import { afterEach, describe, expect, it } from 'vitest';
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
    expect(r.stderr).toBe("error: unknown pipeline 'prod'\nhint: pipelines in this deploy.yaml: dev\n");
  });
});
