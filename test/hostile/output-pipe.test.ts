// SPEC §17: output to a pipe is written whole before ionflow exits. Exiting
// with writes still queued cut `plan --json | …` at the pipe buffer (64 KiB).

import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { makeRepo, type TempRepo } from '../support/repo.js';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

const STEPS = 3000;
const config = () =>
  [
    'version: 1',
    'apps:',
    '  shop: {}',
    'groups:',
    '  dev: { app: shop, local: .ionflow/groups/dev }',
    'pipelines:',
    '  big:',
    '    steps:',
    ...Array.from({ length: STEPS }, (_, i) => `      - run: echo step ${i} ${'x'.repeat(40)}`),
  ].join('\n');

describe('output through a pipe', () => {
  it('writes a plan --json of several hundred KiB whole', async () => {
    repo = makeRepo({ 'deploy.yaml': config() });
    const r = await runCli(['plan', 'big', '--json'], { cwd: repo.dir, env: repo.env, readDelayMs: 1000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(256 * 1024);
    const plan = JSON.parse(r.stdout) as { steps: { id: string }[] };
    expect(plan.steps).toHaveLength(STEPS);
    expect(plan.steps.at(-1)?.id).toBe(`run-${STEPS}`);
  });
});
