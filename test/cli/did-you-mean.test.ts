// A misspelt pipeline, group or app on the command line gets the name that was
// probably meant, as a misspelt command already does.

import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { makeTempDir } from '../support/repo.js';

let dir: string;
beforeAll(() => {
  dir = makeTempDir();
  writeFileSync(
    join(dir, 'deploy.yaml'),
    'version: 1\napps:\n  shop: { store: { local: .ionflow/store } }\ngroups:\n  dev: { app: shop, local: .ionflow/groups/dev }\n  staging: { app: shop, local: .ionflow/groups/staging }\npipelines:\n  release: { steps: [{ push: shop }] }\n',
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('did you mean', () => {
  it('names the close pipeline, group or app, and lists the known ones', async () => {
    const [run, deploy, push, far] = await Promise.all([
      runCli(['run', 'relase'], { cwd: dir }),
      runCli(['deploy', '--group', 'stagign', '--uname', 'x'], { cwd: dir }),
      runCli(['push', '--app', 'shp'], { cwd: dir }),
      runCli(['run', 'nothing-like-it'], { cwd: dir }),
    ]);
    expect([run.code, run.stderr.split('\n')[0]]).toEqual([2, 'error: unknown pipeline relase (did you mean release?); deploy.yaml has release']);
    expect([deploy.code, deploy.stderr.split('\n')[0]]).toEqual([2, 'error: unknown group stagign (did you mean staging?); deploy.yaml has dev, staging']);
    expect([push.code, push.stderr.split('\n')[0]]).toEqual([2, 'error: unknown app shp (did you mean shop?); deploy.yaml has shop']);
    expect(far.stderr.split('\n')[0]).toBe('error: unknown pipeline nothing-like-it; deploy.yaml has release');
  });
});
