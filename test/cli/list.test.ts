// `ionflow list [--json]` end to end.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const GOOD = join(import.meta.dirname, '../fixtures/config/good');

describe('ionflow list', () => {
  it('prints each pipeline with its description and steps', async () => {
    const r = await runCli(['list'], { cwd: join(GOOD, 'ion-app-name') });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'ship: Ship it',
        '  push-web     push web     needs nothing',
        '  deploy-prod  deploy prod  needs push-web',
        '  wait-prod    wait prod    needs deploy-prod',
        '',
      ].join('\n'),
    );
  });

  it('--json gives ids, kinds, targets and resolved needs', async () => {
    const r = await runCli(['list', '--json'], { cwd: join(GOOD, 'graph') });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      pipelines: [
        {
          name: 'fan',
          description: null,
          steps: [
            { id: 'test', kind: 'run', target: 'make test', needs: [] },
            { id: 'push-a', kind: 'push', target: 'a', needs: ['test'] },
            { id: 'deploy-one', kind: 'deploy', target: 'one', needs: ['push-a'] },
            { id: 'deploy-two', kind: 'deploy', target: 'two', needs: ['push-a'] },
            { id: 'wait-one', kind: 'wait', target: 'one', needs: ['deploy-one'] },
            { id: 'wait-two', kind: 'wait', target: 'two', needs: ['deploy-two'] },
          ],
        },
      ],
    });
  });

  it('says so when there are no pipelines', async () => {
    const r = await runCli(['list'], { cwd: join(GOOD, 'minimal') });
    expect(r).toMatchObject({ code: 0, stdout: 'no pipelines\n' });
  });

  it('refuses an invalid config with exit 2', async () => {
    const r = await runCli(['list'], { cwd: join(GOOD, '../bad/cycle') });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('deploy.yaml:12:16: the steps of pipeline');
  });
});
