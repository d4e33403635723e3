import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunStep } from '../../src/model/config.js';
import { CommandError, type CommandContext, runCommand } from '../../src/actions/run-command.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const step = (command: string | string[], more: Partial<RunStep> = {}): RunStep => ({ kind: 'run', id: 'run-1', needs: [], command, env: {}, ...more });
function context(more: Partial<CommandContext> = {}): CommandContext {
  dir = mkdtempSync(join(tmpdir(), 'ionflow-run-'));
  return {
    pipeline: 'dev',
    runId: 'r-1',
    revision: { rev: 'c'.repeat(40) },
    app: 'shop',
    defaultCwd: dir,
    env: {},
    signal: new AbortController().signal,
    ...more,
  };
}

describe('runCommand', () => {
  it('runs a string through /bin/sh in the app root with the IONFLOW_* variables and the step env', async () => {
    const c = context();
    const detail = await runCommand(
      step('echo "$IONFLOW_PIPELINE $IONFLOW_RUN_ID $IONFLOW_REV $IONFLOW_APP $GREETING $(pwd)"', { env: { GREETING: 'hi' } }),
      c,
    );
    expect(detail).toBe(`exited 0: dev r-1 ${'c'.repeat(40)} shop hi ${c.defaultCwd}`);
  });

  it('passes an argv without a shell, and IONFLOW_UNAME for a uname', async () => {
    const detail = await runCommand(step(['printf', '%s|%s', '$HOME', '*']), context());
    expect(detail).toBe('exited 0: $HOME|*');
    const uname = await runCommand(step('test -z "$IONFLOW_REV" && echo "$IONFLOW_UNAME"'), context({ revision: { uname: 'wip' } }));
    expect(uname).toBe('exited 0: wip');
  });

  it('fails with the output tail when the command exits non-zero', async () => {
    const err = await runCommand(step('echo compiling; echo "boom" >&2; exit 7'), context()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandError);
    expect((err as CommandError).message).toBe('echo compiling; echo "boom" >&2; exit 7 exited with 7');
    expect((err as CommandError).output).toContain('compiling');
    expect((err as CommandError).output).toContain('boom');
    expect((err as CommandError).exitCode).toBe(1);
  });

  it('stops the whole process tree at its timeout', async () => {
    const t0 = Date.now();
    const err = await runCommand(step('sleep 30 & sleep 30; wait', { timeoutMs: 300 }), context()).catch((e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect((err as Error).message).toMatch(/timed out after 300ms$/);
  });

  it('reports every line of output as a log line, also lines that arrive in one chunk and a last line without newline', async () => {
    const seen: string[] = [];
    await runCommand(step("printf 'one\\ntwo\\n\\nthree\\n'; sleep 0.05; printf 'four\\nfive'"), context({ log: (m) => seen.push(m) }));
    expect(seen).toEqual(['one', 'two', 'three', 'four', 'five']);
  });

  it('says why a command could not start: a missing program, a missing cwd', async () => {
    const missing = await runCommand(step(['no-such-binary-xyz', '--help']), context()).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(CommandError);
    expect((missing as CommandError).message).toBe('cannot start no-such-binary-xyz: not found (ENOENT)');
    const noDir = await runCommand(step('true', { cwd: '/no/such/folder-xyz' }), context()).catch((e: unknown) => e);
    expect((noDir as CommandError).message).toBe('cannot start: cwd /no/such/folder-xyz does not exist (ENOENT)');
    const shell = await runCommand(step('no-such-binary-xyz'), context()).catch((e: unknown) => e);
    expect((shell as CommandError).message).toBe('no-such-binary-xyz exited with 127 (command not found)');
  });
});
