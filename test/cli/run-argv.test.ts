// A run step's argv items are passed as written, whatever YAML scalar they are
// (SPEC §3): `[seq, 1, 20]` and `[echo, true]` work; a map or list inside is an error.

import { afterEach, describe, expect, it } from 'vitest';
import { appRepo, events } from '../support/app-repo.js';
import { runCli } from '../support/cli.js';
import type { TempRepo } from '../support/repo.js';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

describe('run argv scalars', () => {
  it('passes numbers, booleans and nulls as their source text; refuses a map inside argv at its line', async () => {
    repo = appRepo(`  args:
    steps:
      - run: [printf, '%s|', 1, 20, 1.0, true, 0x10, ~, 007, "quoted"]
      - run: [seq, 1, 3]
`);
    const res = await runCli(['run', 'args', '--output', 'jsonl'], { cwd: repo.dir, env: repo.env });
    expect(res.code, res.stderr).toBe(0);
    const logs = events(res.stdout).flatMap((e) => (e.type === 'log' ? [`${e.step}: ${e.line}`] : []));
    expect(logs).toEqual(['run-1: 1|20|1.0|true|0x10|~|007|quoted|', 'run-2: 1', 'run-2: 2', 'run-2: 3']);

    repo.write({ 'deploy.yaml': `version: 1\npipelines:\n  bad:\n    steps:\n      - run: [echo, {a: 1}, [x]]\n` });
    const bad = await runCli(['validate'], { cwd: repo.dir, env: repo.env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('deploy.yaml:5:21: run argument 2 must be one value as written (a word, a number, true), not a map or a list');
    expect(bad.stderr).toContain('deploy.yaml:5:29: run argument 3 must be one value as written');
  });
});
