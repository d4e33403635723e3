// A uname names whatever the work tree held at its push: redeploying the same
// uname with new content must deploy it, not skip it as up to date.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import type { TempRepo } from '../support/repo.js';
import { cliRepo } from '../support/deploy-fixtures.js';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

// The store and group live outside the repository, so the uname's content is
// exactly the app's files (nothing ionflow writes can change it between runs).
const pipeline = (outside: string) => `version: 1
apps:
  sample:
    store:
      local: ${outside}/store
groups:
  dev:
    app: sample
    local: ${outside}/groups/dev
pipelines:
  dev:
    steps:
      - push: sample
      - deploy: dev
`;

describe('make-style deploy of a uname', () => {
  it('deploys the same uname again when its content changed, and skips it when it did not', async () => {
    const app = cliRepo();
    repo = app.repo;
    app.repo.write({ 'deploy.yaml': pipeline(app.repo.home) });
    app.repo.commit('pipeline');
    const run = () => runCli(['run', 'dev', '--uname', 'alice', '--output', 'jsonl'], { cwd: app.repo.dir, env: app.env });
    const deployStep = (stdout: string) =>
      stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { type: string; step?: string; status?: string; detail?: string })
        .find((e) => e.type === 'step-end' && e.step === 'deploy-dev');
    const deployed = () => readFileSync(join(app.repo.home, 'groups/dev/current/src/app.clj'), 'utf8');

    const first = await run();
    expect(first.code, first.stderr).toBe(0);
    expect(deployStep(first.stdout)?.status).toBe('succeeded');
    expect(deployed()).toBe('(ns app)\n');

    // Uncommitted work, pushed and deployed under the same uname.
    app.repo.write({ 'src/app.clj': '(ns app) ;; work in progress\n' });
    const second = await run();
    expect(second.code, second.stderr).toBe(0);
    expect(deployStep(second.stdout)?.status).toBe('succeeded');
    expect(deployed()).toBe('(ns app) ;; work in progress\n');

    // Nothing changed since: now it is up to date.
    const third = await run();
    expect(third.code, third.stderr).toBe(0);
    expect(deployStep(third.stdout)).toMatchObject({ status: 'skipped', detail: expect.stringContaining('up to date') });
  });
});
