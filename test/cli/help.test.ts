// `<command> --help` lists every flag the command takes, the common ones
// included, and no flag that the command then refuses (SPEC §2).

import { PassThrough } from 'node:stream';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runCli } from '../support/cli.js';
import { makeTempDir } from '../support/repo.js';

let dir: string;
beforeAll(() => {
  dir = makeTempDir();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function help(command: string): Promise<string> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => {
    text += d.toString('utf8');
  });
  const code = await main([command, '--help'], { stdout: out, stderr: new PassThrough(), cwd: dir, signal: new AbortController().signal });
  await new Promise((resolve) => setImmediate(resolve));
  expect(code).toBe(0);
  return text;
}

const COMMON = ['-c, --config <file>', '--creds-profile <aws-profile>', '--region <region>', '--debug', '-h, --help'];
const OWN: Record<string, { json: boolean; flags: string[] }> = {
  init: { json: false, flags: [] },
  validate: { json: false, flags: [] },
  list: { json: true, flags: [] },
  plan: { json: true, flags: ['--rev <commit>', '--uname <name>', '--force'] },
  run: { json: false, flags: ['--rev <commit>', '--uname <name>', '--yes', '--force', '--concurrency <n>', '--output <mode>'] },
  watch: { json: false, flags: ['--yes', '--force', '--concurrency <n>', '--output <mode>', '--debounce <ms>', '--on-new-commit <mode>'] },
  push: { json: true, flags: ['--app <name>', '--uname <name>', '--rev <commit>', '--force'] },
  deploy: { json: true, flags: ['--group <g>', '--rev <sha>', '--uname <name>'] },
  'deploy-status': { json: true, flags: ['--execution-arn <arn>', '--deployment-id <id>', '--group <g>', '--wait'] },
  history: { json: true, flags: ['--limit <n>'] },
  rollback: { json: true, flags: [] },
};

describe('ionflow <command> --help', () => {
  it.each(Object.keys(OWN))('%s lists its own flags and the common ones', async (command) => {
    const text = await help(command);
    for (const flag of [...COMMON, ...OWN[command]!.flags]) expect(text).toContain(`  ${flag}`);
    if (OWN[command]!.json) expect(text).toContain('  --json');
    else expect(text).not.toContain('--json');
  });

  it('watch lists no --rev/--uname, and refuses them saying why; run refuses --json pointing at --output jsonl', async () => {
    const text = await help('watch');
    expect(text).not.toMatch(/--rev|--uname/);
    const [watch, run] = await Promise.all([runCli(['watch', 'dev', '--rev', 'HEAD'], { cwd: dir }), runCli(['run', 'dev', '--json'], { cwd: dir })]);
    expect([watch.code, watch.stderr.split('\n')[0]]).toEqual([2, 'error: watch runs each new commit of HEAD: --rev and --uname apply to `ionflow run` only']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('error: run and watch print no result map to turn into JSON\nhint: for events as JSON lines use --output jsonl\n');
  });

  it('a common flag works after the command as before it', async () => {
    const [before, after] = await Promise.all([
      runCli(['-c', 'nowhere.yaml', 'validate'], { cwd: dir }),
      runCli(['validate', '-c', 'nowhere.yaml'], { cwd: dir }),
    ]);
    expect(before.code).toBe(2);
    expect(after.stderr).toBe(before.stderr);
    expect(after.stderr).toContain('nowhere.yaml');
  });
});
