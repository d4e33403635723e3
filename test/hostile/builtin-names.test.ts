// Names of JavaScript built-ins are names like any other: looked up among the
// config's own keys, never found on Object.prototype ("unknown app undefined",
// "pipeline.steps is not iterable" before).

import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { cleanUpRepos, inRepo } from '../support/hostile.js';

cleanUpRepos();

const CONFIG = `version: 1
apps:
  constructor: {}
groups:
  toString: { app: constructor, local: .ionflow/groups/dev }
pipelines:
  valueOf:
    steps:
      - push: constructor
      - deploy: toString
`;

describe('built-in names', () => {
  it.each([
    [['plan', 'toString'], 'error: unknown pipeline toString; deploy.yaml has valueOf'],
    [['check', 'toString'], 'error: unknown pipeline toString; deploy.yaml has valueOf'],
    [['run', '__proto__'], 'error: unknown pipeline __proto__; deploy.yaml has valueOf'],
    [['push', '--app', 'hasOwnProperty'], 'error: unknown app hasOwnProperty; deploy.yaml has constructor'],
    [['history', '__proto__'], 'error: unknown group __proto__; deploy.yaml has toString'],
    [['{:op :deploy :group "constructor" :rev "0000000000000000000000000000000000000000"}'], 'error: unknown group constructor; deploy.yaml has toString'],
  ])('%j is an unknown name (exit 2)', async (args, message) => {
    const repo = inRepo({ 'deploy.yaml': CONFIG });
    const r = await runCli(args, { cwd: repo.dir, env: repo.env });
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(message);
  });

  it('pushes app constructor and deploys it to group toString', async () => {
    const repo = inRepo({ 'deploy.yaml': CONFIG, '.gitignore': '.ionflow/\n' });
    repo.commit('initial');
    const r = await runCli(['run', 'valueOf', '--output', 'plain'], { cwd: repo.dir, env: repo.env });
    expect(r.code, r.stderr).toBe(0);
    const history = await runCli(['history', 'toString', '--json'], { cwd: repo.dir, env: repo.env });
    expect(history.code, history.stderr).toBe(0);
    expect(JSON.parse(history.stdout)[0]).toMatchObject({ 'deploy-status': 'SUCCEEDED', 'app-name': 'constructor', rev: repo.head() });
  });
});
