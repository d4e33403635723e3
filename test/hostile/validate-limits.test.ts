// SPEC §17: validate reports the first 50 problems and counts the rest, in
// time linear in the file (20,000 unknown keys took 22-46 s when each problem
// searched the whole map and split the whole file again).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanUpRepos, cliIn, problemLines } from '../support/hostile.js';

const CPU_REPORT = join(import.meta.dirname, '../support/cpu-report.cjs');

cleanUpRepos();

const unknownKeys = (n: number) => ['version: 1', 'apps:', '  shop: {}', ...Array.from({ length: n }, (_, i) => `unknown${i}: 1`), ''].join('\n');

describe('validate with many problems', () => {
  it('reports 12,000 unknown keys quickly: the first 50 with code frames, then a count', async () => {
    const r = await cliIn({ 'deploy.yaml': unknownKeys(12_000) }, ['validate'], {
      env: { NODE_OPTIONS: `--require ${CPU_REPORT}`, IONFLOW_TEST_CPU_FILE: 'cpu-seconds' },
    });
    const cpuSeconds = Number(readFileSync(join(r.repo.dir, 'cpu-seconds'), 'utf8'));
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('error: 12000 problems in deploy.yaml');
    const problems = problemLines(r.stderr);
    expect(problems).toHaveLength(50);
    expect(problems[0]).toBe("deploy.yaml:4:1: unknown key 'unknown0' (allowed: version, profiles, apps, groups, pipelines)");
    expect(problems[49]).toMatch(/^deploy\.yaml:53:1: unknown key 'unknown49'/);
    expect(lines.at(-1)).toBe('... and 11950 more problems not shown');
    // CPU time, which load barely changes: about 1 s here; the quadratic version needed over 10 s.
    expect(cpuSeconds).toBeGreaterThan(0);
    expect(cpuSeconds).toBeLessThan(5);
  }, 30_000);

  it('shows 50 problems whole, and counts the 51st', async () => {
    const fifty = await cliIn({ 'deploy.yaml': unknownKeys(50) }, ['validate']);
    expect(problemLines(fifty.stderr)).toHaveLength(50);
    expect(fifty.stderr).not.toContain('not shown');
    const more = await cliIn({ 'deploy.yaml': unknownKeys(51) }, ['validate']);
    expect(more.code).toBe(2);
    expect(problemLines(more.stderr)).toHaveLength(50);
    expect(more.stderr.trimEnd().split('\n').at(-1)).toBe('... and 1 more problem not shown');
  });
});
