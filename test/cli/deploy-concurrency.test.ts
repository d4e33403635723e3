// Two ionflow processes deploying to one local group at once: the group lock
// makes the second wait (saying so), and their hooks never overlap.
import { afterEach, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import type { TempRepo } from '../support/repo.js';
import { appspec, cliRepo, commitApp, readLines } from '../support/deploy-fixtures.js';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

it('never runs two deployments of one group at the same time', async () => {
  // Each hook logs "<event> <deployment> begin|end <ns>" around a short sleep.
  const slowHook = `#!/bin/sh
echo "$LIFECYCLE_EVENT $DEPLOYMENT_ID begin $(date +%s%N)" >> "$HOOK_LOG"
sleep 0.4
echo "$LIFECYCLE_EVENT $DEPLOYMENT_ID end $(date +%s%N)" >> "$HOOK_LOG"
`;
  const app = cliRepo();
  repo = app.repo;
  commitApp(
    app.repo,
    'slow hooks',
    { 'scripts/slow.sh': slowHook, 'appspec.yml': appspec({ AfterInstall: 'scripts/slow.sh', ValidateService: 'scripts/slow.sh' }) },
    ['scripts/slow.sh'],
  );
  const rev1 = app.repo.head();
  const rev2 = commitApp(app.repo, 'two', { 'src/app.clj': '(ns app) ;; 2\n' });
  const opts = { cwd: app.repo.dir, env: app.env };
  expect((await runCli(['push', '--rev', rev1], opts)).code).toBe(0);
  expect((await runCli(['push', '--rev', rev2], opts)).code).toBe(0);

  const [a, b] = await Promise.all([runCli(['deploy', '--group', 'dev', '--rev', rev1], opts), runCli(['deploy', '--group', 'dev', '--rev', rev2], opts)]);
  expect([a.code, b.code]).toEqual([0, 0]);
  expect(`${a.stderr}${b.stderr}`).toMatch(/group dev is busy \(pid \d+ on \S+ deploying [0-9a-f]{40}\); waiting for it to finish/);

  // Group the log by deployment: each one's [first begin, last end] interval must not overlap the other's.
  const spans = new Map<string, [number, number]>();
  for (const line of readLines(app.log)) {
    const [, id, what, ns] = line.split(' ');
    const t = Number(BigInt(ns!) / 1000n);
    const span = spans.get(id!) ?? [Number.POSITIVE_INFINITY, 0];
    spans.set(id!, what === 'begin' ? [Math.min(span[0], t), span[1]] : [span[0], Math.max(span[1], t)]);
  }
  const [first, second] = [...spans.values()].sort((x, y) => x[0] - y[0]);
  expect(spans.size).toBe(2);
  expect(first![1]).toBeLessThanOrEqual(second![0]);
});
