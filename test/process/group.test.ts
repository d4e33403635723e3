// runProcess, the one runner for commands that may start processes of their
// own (hooks, run steps, the ion-dev back end): what its result states.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runProcess } from '../../src/process/group.js';

const sh = (script: string, options: Parameters<typeof runProcess>[2] = {}) => runProcess('/bin/sh', ['-c', script], options);

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]!);
  } catch {
    return false;
  }
}

describe('runProcess', () => {
  it('passes each line of stdout and stderr on, redacted, and keeps a bounded tail', async () => {
    const lines: string[] = [];
    const res = await sh("echo one; echo two >&2; printf 'secret-value\\nlast'", {
      onLine: (line, stream) => lines.push(`${stream}:${line}`),
      redact: (line) => line.replace('secret-value', '****'),
    });
    expect(res).toMatchObject({ exitCode: 0, signal: null, timedOut: false, aborted: false, heldBy: [] });
    expect(lines.sort()).toEqual(['stderr:two', 'stdout:****', 'stdout:last', 'stdout:one']);
    const long = await sh('seq 1 5000', { tailChars: 100 });
    expect(long.output.endsWith('\n5000')).toBe(true);
    expect(long.output.length).toBeLessThanOrEqual(100);
    expect(long.droppedLines).toBeGreaterThan(4900);
  });

  it('masks a secret that a long unterminated line would split where it is cut into pieces', async () => {
    const secret = 'wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY';
    const lines: string[] = [];
    // 8180 characters, the secret, 6000 more, in one write with no newline: the cut at 8 KiB falls inside the secret.
    const res = await sh(
      `printf '%s%s%s' "$(head -c 8180 /dev/zero | tr '\\0' x)" "$SECRET" "$(head -c 6000 /dev/zero | tr '\\0' y)"; sleep 0.2; echo ' end'`,
      {
        env: { SECRET: secret },
        onLine: (line) => lines.push(line),
        redact: (line) => line.split(secret).join('****'),
      },
    );
    expect(res.exitCode).toBe(0);
    const shown = lines.join('');
    expect(shown).toContain('****');
    expect(shown).not.toContain(secret.slice(0, 8));
    expect(shown).not.toContain(secret.slice(-8));
    expect(res.output).not.toContain(secret.slice(-8));
  });

  it('says why a command could not start, by errno code', async () => {
    expect((await runProcess('no-such-program-xyz', [])).startError).toEqual({ code: 'ENOENT', reason: 'not found', cwdMissing: false });
    expect((await runProcess('/bin/true', [], { cwd: '/no/such/dir-xyz' })).startError).toEqual({ code: 'ENOENT', reason: 'does not exist', cwdMissing: true });
  });

  it('names a background process that holds the output after the command exited, and stops it at the timeout', async () => {
    const held: string[] = [];
    const res = await sh('echo started; sleep 20 & echo $!', { timeoutMs: 2500, onHeld: (hs) => held.push(...hs.map((h) => h.command)) });
    const pid = Number(res.output.split('\n')[1]);
    expect(held).toEqual(['sleep 20']);
    expect(res).toMatchObject({ exitCode: 0, timedOut: true, stoppedWhileHeld: true, heldBy: [{ pid, command: 'sleep 20' }] });
    expect(res.durationMs).toBeLessThan(8000);
    expect(alive(pid)).toBe(false);
  });

  it('leaves a process that redirected its output running, and does not wait for it', async () => {
    const res = await sh('sleep 20 >/dev/null 2>&1 & echo $!', { timeoutMs: 5000 });
    const pid = Number(res.output);
    try {
      expect(res).toMatchObject({ exitCode: 0, timedOut: false });
      expect(res.durationMs).toBeLessThan(4000);
      expect(alive(pid)).toBe(true);
    } finally {
      process.kill(pid, 'SIGKILL');
    }
  });

  it('an abort stops the whole group at once, also what ignores SIGTERM', async () => {
    const controller = new AbortController();
    const pids: number[] = [];
    const running = sh("trap '' TERM; sleep 20 & echo $!; sleep 20", { signal: controller.signal, onLine: (l) => pids.push(Number(l)) });
    setTimeout(() => controller.abort(), 300);
    const t0 = Date.now();
    const res = await running;
    expect(res).toMatchObject({ aborted: true, stoppedWhileHeld: false });
    expect(Date.now() - t0).toBeLessThan(4000); // ~0.4 s idle; loose for a loaded 2-core machine
    expect(pids.length).toBe(1);
    expect(alive(pids[0]!)).toBe(false);
  });
});
