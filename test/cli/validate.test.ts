// `ionflow validate` end to end (the built binary), and the promise that
// validate, list and plan on a local config never load the AWS SDK.

import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { makeTempDir } from '../support/repo.js';

const ROOT = join(import.meta.dirname, '../..');
const GOOD = join(ROOT, 'test/fixtures/config/good');
const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});
const temp = () => {
  const dir = makeTempDir();
  temps.push(dir);
  return dir;
};

describe('ionflow validate', () => {
  it('prints ok for a valid config found in a parent folder', async () => {
    const r = await runCli(['validate'], { cwd: join(GOOD, 'ion-app-name/services/web') });
    expect(r).toMatchObject({ code: 0, stdout: 'ok\n', stderr: '' });
  });

  it('uses -c relative to the working folder', async () => {
    const r = await runCli(['--config', 'good/graph/deploy.yaml', 'validate'], { cwd: join(GOOD, '..') });
    expect(r).toMatchObject({ code: 0, stdout: 'ok\n' });
  });

  it('exits 2 with the init hint when there is no deploy.yaml', async () => {
    const dir = temp();
    const r = await runCli(['validate'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: no deploy.yaml found in ${dir} or its parents\nhint: create one with \`ionflow init\`, or name one with -c <file>\n`);
  });

  it('shows help', async () => {
    const r = await runCli(['validate', '--help'], { cwd: ROOT });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('check deploy.yaml and every referenced ion-config.edn');
  });
});

describe('lazy loading', () => {
  const HOOK = pathToFileURL(join(ROOT, 'test/fixtures/config/record-loads.mjs')).href;
  const recorded = async (args: string[], cwd: string, code = 0): Promise<string[]> => {
    const file = join(temp(), 'loads.txt');
    const env = { ...process.env, NODE_OPTIONS: `--import=${HOOK}`, IONFLOW_RECORD_LOADS: file };
    const r = await runCli(args, { cwd, env });
    expect(r.code, r.stderr).toBe(code);
    return readFileSync(file, 'utf8').split('\n').filter(Boolean);
  };
  // The SDK packages, or the bundles of them the built CLI loads instead (src/lazy/aws-sdk.ts).
  const HEAVY = /@aws-sdk|@smithy|\/lazy\/aws-sdk\/|listr2/;

  it.each([
    ["await import('@aws-sdk/client-sfn')", /@aws-sdk\/client-sfn/],
    ["(await import('./dist/lazy/aws-sdk.js')).requireSdk('client-sfn')", /\/dist\/lazy\/aws-sdk\/client-sfn\.cjs/],
  ])('the recorder sees the AWS SDK when it is loaded (so the checks below can fail): %s', async (code, seen) => {
    const file = join(temp(), 'loads.txt');
    const { spawnSync } = await import('node:child_process');
    spawnSync(process.execPath, ['--import', HOOK, '--input-type=module', '-e', code], {
      cwd: ROOT,
      env: { ...process.env, IONFLOW_RECORD_LOADS: file },
    });
    const loads = readFileSync(file, 'utf8');
    expect(loads).toMatch(seen);
    expect(loads.split('\n').some((u) => HEAVY.test(u))).toBe(true);
  });

  it.each([
    [['validate'], 'validate'],
    [['list'], 'list'],
    [['plan', 'dev'], 'plan'],
  ])('%j on a local config loads no AWS SDK and no listr2', async (args, command) => {
    const loads = await recorded(args, join(GOOD, 'defaults'));
    // The command's own chunk of the CLI bundle (src/lazy/rolldown.config.mjs): the recorder sees the CLI's loads.
    expect(loads.some((u) => new RegExp(`/dist/lazy/ionflow-${command}-[\\w-]+\\.cjs$`).test(u))).toBe(true);
    expect(loads.filter((u) => HEAVY.test(u))).toEqual([]);
  });

  it('validate on an aws config loads no AWS SDK either', async () => {
    const loads = await recorded(['validate'], join(GOOD, 'ion-app-name'));
    expect(loads.filter((u) => HEAVY.test(u))).toEqual([]);
  });
});
