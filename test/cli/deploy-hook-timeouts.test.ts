// Local hooks run in a process group of their own (SPEC §6): the timeout is
// enforced on the script and on whatever still holds its output, reported as
// the configured timeout, and never SUCCEEDED; a detached service outlives the
// deploy. Timings are asserted loosely: these are behaviour tests.
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { alive, type HookApp, history, hookApp, readPid } from '../support/hook-apps.js';

let app: HookApp | undefined;
const killLater: number[] = [];
afterEach(() => {
  for (const pid of killLater.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  app?.repo.cleanup();
});

async function timed(args: string[]) {
  const t0 = Date.now();
  const res = await runCli(args, app!.opts);
  return { ...res, ms: Date.now() - t0 };
}

describe('local hook timeouts', () => {
  it('a script sleeping past its timeout fails at about the timeout, reported as the configured timeout', async () => {
    app = await hookApp('ValidateService', '#!/bin/sh\necho validating\necho $$ > "$PID_FILE"\nsleep 30\n', 1);
    const res = await timed(app.deployArgs);
    expect(res.code).toBe(1);
    expect(res.ms).toBeLessThan(12_000); // the script sleeps 30 s; ionflow's own work is the rest
    expect(res.stderr).toContain('FAILED: ValidateService hook scripts/hook-under-test.sh timed out after 1s');
    expect(alive(readPid(app))).toBe(false);
    const [latest] = await history(app);
    expect(latest).toMatchObject({ 'deploy-status': 'FAILED' });
    expect((latest!.hooks as Record<string, unknown>[])[0]).toMatchObject({ 'timed-out': true, 'exit-code': null, 'timeout-s': 1 });
  });

  it('a background child holding the output fails at the timeout, naming it and the fix while waiting and in the error', async () => {
    app = await hookApp('ApplicationStart', '#!/bin/sh\necho starting\nsleep 30 &\necho $! > "$PID_FILE"\n', 2);
    const res = await timed(app.deployArgs);
    const pid = readPid(app);
    killLater.push(pid);
    expect(res.code).toBe(1);
    expect(res.ms).toBeGreaterThan(1900);
    expect(res.ms).toBeLessThan(15_000);
    // While waiting: which process, and the fix.
    expect(res.stderr).toContain(`ApplicationStart: scripts/hook-under-test.sh exited, but pid ${pid} (sleep 30) still holds its output`);
    // The failure carries the same hint; never SUCCEEDED.
    expect(res.stderr).toMatch(
      new RegExp(
        `FAILED: ApplicationStart hook scripts/hook-under-test.sh timed out after 2s: the script exited, but pid ${pid} \\(sleep 30\\) still held its output; .*>/dev/null 2>&1 &.*nohup.*service manager`,
      ),
    );
    expect(alive(pid)).toBe(false);
    const [latest] = await history(app);
    expect(latest).toMatchObject({ 'deploy-status': 'FAILED' });
    expect((latest!.hooks as Record<string, unknown>[])[0]).toMatchObject({ 'timed-out': true, 'exit-code': null, 'held-by': [{ pid, command: 'sleep 30' }] });
  });

  it('a service started with its output redirected: SUCCEEDED at once, and still running after ionflow exits', async () => {
    app = await hookApp('ApplicationStart', '#!/bin/sh\nnohup sleep 30 >/dev/null 2>&1 &\necho $! > "$PID_FILE"\necho started\n', 20);
    const res = await timed(app.deployArgs);
    const pid = readPid(app);
    killLater.push(pid);
    expect(res.code, res.stderr).toBe(0);
    expect(res.ms).toBeLessThan(15_000);
    expect(alive(pid)).toBe(true);
    const [latest] = await history(app);
    expect(latest).toMatchObject({ 'deploy-status': 'SUCCEEDED' });
  });

  it('a script that ignores SIGTERM is killed with SIGKILL 5 s after the timeout', async () => {
    app = await hookApp('AfterInstall', '#!/bin/sh\ntrap \'\' TERM\necho $$ > "$PID_FILE"\nsleep 30\n', 1);
    const res = await timed(app.deployArgs);
    expect(res.code).toBe(1);
    // 1 s timeout + 5 s grace.
    expect(res.ms).toBeGreaterThan(5500);
    expect(res.ms).toBeLessThan(20_000);
    expect(res.stderr).toContain('FAILED: AfterInstall hook scripts/hook-under-test.sh timed out after 1s');
    expect(alive(readPid(app))).toBe(false);
  });
});
