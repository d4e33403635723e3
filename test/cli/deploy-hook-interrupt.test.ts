// Ctrl-C or SIGTERM during a local hook (SPEC §6): the hook's process group is
// killed at once, ionflow exits 130 within about a second, and the deployment
// is recorded ABORTED, however the signal arrived. A terminal's Ctrl-C reaches
// only ionflow (hooks run in a group of their own), so ionflow passes it on.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { BIN, runCli } from '../support/cli.js';
import { alive, type HookApp, history, hookApp, readPid } from '../support/hook-apps.js';

let app: HookApp | undefined;
afterEach(() => app?.repo.cleanup());

const HANGS = '#!/bin/sh\necho $$ > "$PID_FILE"\necho hook started\nsleep 30\n';

/** Deploy the app whose ApplicationStart hangs (over `previous`, if asked), interrupt it once the hook has started. */
async function interrupted(how: (child: import('node:child_process').ChildProcess) => void, withPrevious = false) {
  app = await hookApp('ApplicationStart', HANGS, 60);
  // What the group runs before the interrupted deployment: the same app without the hook.
  const previous = withPrevious ? app.repo.git('rev-parse', 'HEAD~1') : undefined;
  if (previous) {
    expect((await runCli(['push', '--rev', previous], app.opts)).code).toBe(0);
    expect((await runCli(['deploy', '--group', 'dev', '--rev', previous], app.opts)).code).toBe(0);
  }
  let signalledAt = 0;
  const res = await runCli(app.deployArgs, {
    ...app.opts,
    onSpawn: (child) => {
      child.stderr!.on('data', (d: Buffer) => {
        if (!signalledAt && String(d).includes('hook started')) {
          signalledAt = Date.now();
          how(child);
        }
      });
    },
  });
  return { res, ms: Date.now() - signalledAt, previous };
}

async function expectAborted(outcome: Awaited<ReturnType<typeof interrupted>>) {
  expect(outcome.res.code, outcome.res.stderr).toBe(130);
  // Within a second, as the SPEC says (130-220 ms measured at load 15); loose for a loaded CI machine.
  expect(outcome.ms).toBeLessThan(3000);
  expect(alive(readPid(app!))).toBe(false);
  const [latest] = await history(app!);
  expect(latest).toMatchObject({ 'deploy-status': 'ABORTED', rev: app!.rev });
  // The release ledger says so too (SPEC §11), not RUNNING forever.
  const ledger = join(app!.opts.cwd, '.ionflow/store/sample/ledger/dev');
  const recorded = readdirSync(ledger).map((f) => JSON.parse(readFileSync(join(ledger, f), 'utf8')) as Record<string, string>);
  expect(recorded.find((r) => r.rev === app!.rev)).toMatchObject({ 'deploy-status': 'ABORTED', error: 'interrupted' });
  const current = join(app!.opts.cwd, '.ionflow/groups/dev/current');
  if (outcome.previous) expect(readlinkSync(current)).toBe(join('releases', outcome.previous));
  else expect(existsSync(current)).toBe(false);
}

it('SIGINT to ionflow during a hook: 130 at once, the hook gone, ABORTED, current untouched', async () => {
  await expectAborted(await interrupted((child) => child.kill('SIGINT'), true));
});

it('SIGTERM to ionflow during a hook: the same', async () => {
  await expectAborted(await interrupted((child) => child.kill('SIGTERM')));
});

it('Ctrl-C typed in a terminal (to the foreground process group): the same', async () => {
  app = await hookApp('ApplicationStart', HANGS, 60);
  const command = [process.execPath, BIN, ...app.deployArgs].map((a) => `'${a}'`).join(' ');
  // util-linux `script` gives ionflow a pseudo-terminal; ^C written to it becomes SIGINT for its foreground group.
  const child = spawn('script', ['-qefc', command, '/dev/null'], {
    cwd: app.opts.cwd,
    env: { ...app.opts.env, SHELL: '/bin/sh', NO_COLOR: '1', TERM: 'dumb' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let typedAt = 0;
  child.stdout.on('data', (d: Buffer) => {
    out += String(d);
    if (!typedAt && out.includes('hook started')) {
      typedAt = Date.now();
      child.stdin.write('\x03');
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(code, out).toBe(130);
  expect(Date.now() - typedAt).toBeLessThan(3000);
  expect(alive(readPid(app))).toBe(false);
  const [latest] = await history(app);
  expect(latest).toMatchObject({ 'deploy-status': 'ABORTED', error: 'interrupted' });
});
