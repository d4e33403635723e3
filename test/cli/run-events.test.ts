// jsonl events carry their facts as fields (SPEC §8): what CI parses.

import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StepEndEvent } from '../../src/engine/events.js';
import { appRepo, events } from '../support/app-repo.js';
import { appspec } from '../support/deploy-fixtures.js';
import { runCli } from '../support/cli.js';
import type { TempRepo } from '../support/repo.js';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

const jsonl = (r: TempRepo, args: string[]) => runCli([...args, '--output', 'jsonl'], { cwd: r.dir, env: r.env });
const ends = (stdout: string) =>
  Object.fromEntries(
    events(stdout)
      .filter((e): e is StepEndEvent => e.type === 'step-end')
      .map((e) => [e.step, e as unknown as Record<string, unknown>]),
  );

describe('jsonl event fields', () => {
  it('push and deploy step-ends carry rev, store, uploaded, group, execution-arn and deploy-status', async () => {
    repo = appRepo();
    const store = join(repo.dir, '.ionflow/store');
    const first = await jsonl(repo, ['run', 'dev']);
    expect(first.code).toBe(0);
    const e = ends(first.stdout);
    expect(e['push-shop']).toMatchObject({ status: 'succeeded', rev: repo.head(), store, uploaded: true });
    expect(e['push-shop']).not.toHaveProperty('uname');
    expect(e['deploy-dev']).toMatchObject({ status: 'succeeded', group: 'dev', 'deploy-status': 'SUCCEEDED' });
    expect(e['deploy-dev']!['execution-arn']).toMatch(/^arn:ionflow:local:dev:d-/);
    expect(e['wait-dev']).toMatchObject({ group: 'dev', 'execution-arn': e['deploy-dev']!['execution-arn'], 'deploy-status': 'SUCCEEDED' });

    const second = ends((await jsonl(repo, ['run', 'dev'])).stdout);
    expect(second['push-shop']).toMatchObject({ status: 'skipped', uploaded: false, store });
    expect(second['deploy-dev']).toMatchObject({ status: 'skipped', 'execution-arn': e['deploy-dev']!['execution-arn'], 'deploy-status': 'SUCCEEDED' });
  });

  it('a FAILED deployment: the deploy step-end has error, group, its id and deploy-status FAILED', async () => {
    repo = appRepo(undefined, undefined, {
      'appspec.yml': appspec({ ValidateService: 'scripts/validate.sh' }),
      'scripts/validate.sh': '#!/bin/sh\necho "GET /health: 503" >&2\nexit 1\n',
    });
    chmodSync(join(repo.dir, 'scripts/validate.sh'), 0o755);
    repo.commit('executable hook');
    const res = await jsonl(repo, ['run', 'dev']);
    expect(res.code).toBe(1);
    const e = ends(res.stdout);
    expect(e['deploy-dev']).toMatchObject({ status: 'failed', group: 'dev', 'deploy-status': 'FAILED', error: expect.stringContaining('exited with 1') });
    expect(e['deploy-dev']!['execution-arn']).toMatch(/^arn:ionflow:local:dev:d-/);
    expect(e['wait-dev']).toMatchObject({ status: 'not-run' });
  });
});
