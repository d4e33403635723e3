// The one process wrapper: failures name the command and the line of stderr
// that says why, never git's trailing advice.
import { describe, expect, it } from 'vitest';
import { lastReason, ProcessError, run } from '../src/process.js';

describe('run', () => {
  it('captures stdout and passes input', async () => {
    const result = await run('sh', ['-c', 'cat; echo done'], { input: 'hello\n' });
    expect(result).toEqual({ stdout: 'hello\ndone\n', stderr: '', exitCode: 0 });
  });

  it('fails with argv, exit code and the reason from stderr', async () => {
    const err = await run('sh', ['-c', 'echo "fatal: bad thing" >&2; echo "hint: try harder" >&2; exit 3']).catch((e) => e);
    expect(err).toBeInstanceOf(ProcessError);
    expect(err.exitCode).toBe(1);
    expect(err.exitCodeOfProcess).toBe(3);
    expect(err.argv[0]).toBe('sh');
    expect(err.message).toMatch(/exited with 3: fatal: bad thing$/);
  });

  it('says when a command cannot start', async () => {
    const err = await run('no-such-binary-ionflow', []).catch((e) => e);
    expect(err).toBeInstanceOf(ProcessError);
    expect(err.message).toContain('could not start');
  });

  it('maps an aborted signal to interrupted (exit 130)', async () => {
    const controller = new AbortController();
    const pending = run('sleep', ['5'], { signal: controller.signal });
    controller.abort();
    const err = await pending.catch((e) => e);
    expect(err.exitCode).toBe(130);
  });

  it('lastReason keeps advice only when there is nothing else', () => {
    expect(lastReason('error: one\nhint: two\nhint: three\n')).toBe('error: one');
    expect(lastReason('hint: only advice\n')).toBe('hint: only advice');
    expect(lastReason('')).toBe('');
  });
});
