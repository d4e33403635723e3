// `ionflow history` and `ionflow rollback` after three deployments, on a real repo.
import { readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import type { TempRepo } from '../support/repo.js';
import { cliRepo, commitApp, LOCAL_DEPLOY_MAP } from '../support/deploy-fixtures.js';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

interface JsonRecord {
  'execution-arn': string;
  'deploy-status': string;
  'code-deploy-status': string;
  'app-name': string;
  'started-at': string;
  'finished-at': string;
  name: string;
  rev: string;
  previous?: string;
  hooks: { event: string; 'exit-code': number; 'duration-ms': number; 'output-tail': string }[];
}

describe('ionflow history / rollback (local group)', () => {
  it('lists deployments newest first, and rolls back to the newest successful revision that differs', async () => {
    const app = cliRepo();
    repo = app.repo;
    const cli = (...args: string[]) => runCli(args, { cwd: app.repo.dir, env: app.env });
    const current = () => readlinkSync(join(app.repo.dir, '.ionflow/groups/dev/current')).split('/').pop();

    const empty = await cli('history', 'dev');
    expect([empty.code, empty.stdout, empty.stderr.trim()]).toEqual([0, '', 'group dev has no deployments yet']);
    expect((await cli('rollback', 'dev')).code).toBe(3);

    const revs: string[] = [];
    for (const n of [1, 2, 3]) {
      if (n > 1) commitApp(app.repo, `v${n}`, { 'src/app.clj': `(ns app) ;; v${n}\n` });
      revs.push(app.repo.head());
      expect((await cli('push')).code).toBe(0);
      expect((await cli('deploy', '--group', 'dev', '--rev', revs.at(-1)!)).code).toBe(0);
    }
    const [rev1, rev2, rev3] = revs as [string, string, string];

    const table = await cli('history', 'dev');
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\s+STARTED\s+STATUS\s+REVISION\s+DURATION\s+ID\s+BY$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 4))).toEqual([
      ['*', expect.stringMatching(/^20\d\d-/), 'SUCCEEDED', rev3.slice(0, 12)],
      ['', expect.stringMatching(/^20\d\d-/), 'SUCCEEDED', rev2.slice(0, 12)],
      ['', expect.stringMatching(/^20\d\d-/), 'SUCCEEDED', rev1.slice(0, 12)],
    ]);

    const rolled = await cli('rollback', 'dev');
    expect(rolled.code).toBe(0);
    expect(rolled.stdout).toMatch(LOCAL_DEPLOY_MAP);
    expect(rolled.stderr).toContain(`rolling back group dev from ${rev3} to ${rev2}`);
    expect(current()).toBe(rev2);

    const json = await cli('history', 'dev', '--json');
    const records = JSON.parse(json.stdout) as JsonRecord[];
    // Kebab-case keys, like every other JSON output (no camelCase anywhere, hook runs included).
    expect(json.stdout).not.toMatch(/"[a-z]+[A-Z][A-Za-z]*":/);
    expect(records[0]).toMatchObject({
      'code-deploy-status': 'SUCCEEDED',
      'app-name': 'sample',
      'started-at': expect.stringMatching(/^20\d\d-/),
      'finished-at': expect.stringMatching(/^20\d\d-/),
    });
    expect(records.map((r) => [r.rev, r['deploy-status']])).toEqual([
      [rev2, 'SUCCEEDED'],
      [rev3, 'SUCCEEDED'],
      [rev2, 'SUCCEEDED'],
      [rev1, 'SUCCEEDED'],
    ]);
    expect(records[0]!['execution-arn']).toBe(LOCAL_DEPLOY_MAP.exec(rolled.stdout)![1]);
    expect(records[0]!.previous).toBe(rev3);
    expect(records[0]!.hooks.map((h) => `${h.event}:${h['exit-code']}`)).toEqual([
      'ApplicationStop:0',
      'BeforeInstall:0',
      'AfterInstall:0',
      'ApplicationStart:0',
      'ValidateService:0',
    ]);

    // Rolling back again returns to the newest successful revision that differs from rev2.
    expect((await cli('rollback', 'dev')).code).toBe(0);
    expect(current()).toBe(rev3);
  });
});
