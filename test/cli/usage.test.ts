// Usage errors exit 2 with a one-line `error:` whatever command they hit;
// --help and --version exit 0 (SPEC §9).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { makeTempDir } from '../support/repo.js';
import { rmSync } from 'node:fs';

let dir: string;
beforeAll(() => {
  dir = makeTempDir();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('usage errors', () => {
  it.each([
    [['plan'], "missing required argument 'pipeline'"],
    [['run'], "missing required argument 'pipeline'"],
    [['validate', '--bogus'], "unknown option '--bogus'"],
    [['deploy'], "required option '--group <g>' not specified"],
    [['run', 'dev', '--concurrency', '0'], 'must be a positive whole number'],
    [['watch', 'dev', '--on-new-commit', 'later'], 'Allowed choices are queue, restart'],
    [['bogus'], "unknown command 'bogus'"],
    [['{:op :launch}'], 'unknown :op launch'],
    [['{:op :push :colour "red"}'], ':colour is not a key of {:op :push}'],
    [['{:op :push}', '--frob'], "unknown option '--frob'"],
    [['{:op :push :uname true}'], ':uname must be a string, got true'],
    [['{:op :push :force "no"}'], ':force must be true or false, got "no"'],
    [['{:op :deploy :group "dev" :rev 42}'], ':rev must be a string, got 42'],
    // Op maps are answered in their own words (:rev, not --rev).
    [['{:op :deploy :group "dev"}'], 'error: :rev or :uname is required\nhint: for example'],
    [['{:op :deploy :rev "abc"}'], 'error: :group is required'],
    [['{:op :deploy :group "dev" :rev "a" :uname "b"}'], 'error: give :rev or :uname, not both'],
    [['{:op :push :rev "a" :uname "b"}'], 'error: give :rev or :uname, not both'],
    [['{:op :deploy-status}'], 'error: :execution-arn is required (or :deployment-id with :group)'],
    [['{:op :deploy-status :deployment-id "d-1"}'], 'error: :deployment-id needs :group'],
    [['{:op :deploy-status :execution-arn "a" :deployment-id "d-1"}'], 'error: give :execution-arn or :deployment-id, not both'],
  ])('ionflow %j exits 2', async (args, message) => {
    const result = await runCli(args, { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toMatch(/^error: /);
    expect(result.stderr).toContain(message);
  });

  it.each([[['--help']], [['plan', '--help']], [['--version']]])('ionflow %j exits 0', async (args) => {
    const result = await runCli(args, { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout.length).toBeGreaterThan(0);
  });
});
