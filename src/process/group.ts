// The one way ionflow runs a command that may start processes of its own (an
// appspec hook, a `run` step, a dev server): in a process group of its own, so
// a timeout or an interrupt stops all of it, with its output as lines (live,
// and a bounded tail for the record), and a result that states the facts
// (exit code, signal, timed out, aborted, who held the output) instead of an
// error to be parsed. Built on src/process.ts (node:child_process only): it is cheap to load.
//
// The command ends when it has exited AND its stdout/stderr have closed, as the
// CodeDeploy agent waits for both: a background process that inherited the
// output keeps the command running (and is named through `onHeld`), while one
// started with its output redirected is left alone and outlives us.

import { stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { startGroupLeader } from '../process.js';
import { findHolders, groupAlive, type Holder, outputsOf } from './holders.js';
import { LineSplitter, OutputTail } from './lines.js';

export type { Holder } from './holders.js';

export interface ProcessOptions {
  cwd?: string;
  /** Added to ionflow's own environment. */
  env?: NodeJS.ProcessEnv;
  /** Aborting stops the group at once: SIGTERM, SIGKILL after `abortGraceMs`. */
  signal?: AbortSignal;
  abortGraceMs?: number;
  /** Past this, the group gets SIGTERM, and SIGKILL after `killGraceMs` (default 5 s). */
  timeoutMs?: number;
  killGraceMs?: number;
  /** Every line of stdout and stderr as it arrives (after `redact`). */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Applied to each line before it is kept or passed on (e.g. masking secrets). */
  redact?: (line: string) => string;
  /** The command exited but these processes still hold its output: it goes on until they close it. */
  onHeld?: (holders: Holder[]) => void;
  /** How long after the exit to look for holders (default 300 ms). */
  heldAfterMs?: number;
  /** Characters of output kept for the result (default 64 KiB), the newest lines. */
  tailChars?: number;
}

export interface ProcessResult {
  argv: string[];
  /** null when the command was killed by a signal or did not start. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  aborted: boolean;
  /** Set when the command could not start: the errno code, and why in our words (never a library's text). */
  startError?: StartError;
  /** The newest lines of stdout and stderr, interleaved. */
  output: string;
  /** Lines of output not in `output` (dropped from its head). */
  droppedLines: number;
  /** Stopped (timeout, abort) after the command had exited, while something still held its output. */
  stoppedWhileHeld: boolean;
  /** Processes seen holding the output after the command exited (empty when none, or unknown). */
  heldBy: Holder[];
  durationMs: number;
}

export interface StartError {
  code: string;
  /** `not found`, `permission denied`, … of the program; or of the cwd when `cwdMissing`. */
  reason: string;
  cwdMissing: boolean;
}

const START_ERRORS: Record<string, string> = { ENOENT: 'not found', EACCES: 'permission denied', ENOEXEC: 'not an executable' };

async function startError(err: NodeJS.ErrnoException, cwd: string | undefined): Promise<StartError> {
  const code = err.code ?? 'ERR';
  // spawn says ENOENT for a missing cwd as for a missing program: tell them apart.
  if (
    code === 'ENOENT' &&
    cwd !== undefined &&
    !(await stat(cwd).then(
      (s) => s.isDirectory(),
      () => false,
    ))
  ) {
    return { code, reason: 'does not exist', cwdMissing: true };
  }
  return { code, reason: START_ERRORS[code] ?? 'spawn failed', cwdMissing: false };
}

export function runProcess(file: string, args: string[], options: ProcessOptions = {}): Promise<ProcessResult> {
  const started = Date.now();
  const tail = new OutputTail(options.tailChars ?? 64 * 1024);
  const redact = options.redact ?? ((l: string) => l);
  const lineOf = (stream: 'stdout' | 'stderr') =>
    new LineSplitter((raw) => {
      const line = redact(raw);
      tail.push(line);
      options.onLine?.(line, stream);
    }, redact);
  const out = lineOf('stdout');
  const err = lineOf('stderr');

  const child = startGroupLeader(file, args, { cwd: options.cwd, env: options.env });
  const ours = outputsOf(child.pid);

  return new Promise((resolve) => {
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let closed = false;
    let timedOut = false;
    let aborted = false;
    let failedStart: StartError | undefined;
    let heldBy: Holder[] = [];
    let stoppedWhileHeld = false;
    let stopDeadline: number | undefined;
    let killedAt: number | undefined;
    let done = false;
    const timers: NodeJS.Timeout[] = [];

    const lookForHolders = async () => {
      const found = await findHolders(ours, child.pid).catch(() => [] as Holder[]);
      if (found.length > 0) heldBy = found;
      return found;
    };
    const send = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // the group is gone
      }
      // A holder that left the group (setsid) still holds our output: it is ours to stop too.
      for (const h of heldBy) {
        try {
          process.kill(h.pid, signal);
        } catch {
          // gone
        }
      }
    };
    const finish = () => {
      if (done) return;
      done = true;
      for (const t of timers) clearTimeout(t);
      options.signal?.removeEventListener('abort', onAbort);
      if (!closed) {
        // Something we could not kill keeps the pipes open: stop reading them.
        child.stdout?.destroy();
        child.stderr?.destroy();
      }
      out.end();
      err.end();
      resolve({
        argv: [file, ...args],
        exitCode: exit?.code ?? null,
        signal: exit?.signal ?? null,
        timedOut,
        aborted,
        ...(failedStart ? { startError: failedStart } : {}),
        output: tail.text(),
        droppedLines: tail.dropped,
        stoppedWhileHeld,
        heldBy,
        durationMs: Date.now() - started,
      });
    };
    /** SIGTERM now; SIGKILL when the group outlives `graceMs`; done once the output closed (or 1 s after SIGKILL). */
    const stop = async (graceMs: number) => {
      const deadline = Date.now() + graceMs;
      if (stopDeadline !== undefined) {
        stopDeadline = Math.min(stopDeadline, deadline); // an interrupt hurries a timeout's grace
        return;
      }
      stopDeadline = deadline;
      if (exit && !closed) {
        stoppedWhileHeld = true;
        await lookForHolders();
      }
      send('SIGTERM');
      while (!done) {
        await sleep(50);
        if (done) return;
        if (killedAt === undefined) {
          if (closed && !(child.pid !== undefined && (await groupAlive(child.pid)))) finish();
          else if (Date.now() >= stopDeadline) {
            killedAt = Date.now();
            send('SIGKILL');
          }
        } else if (closed || Date.now() - killedAt > 1000) finish();
      }
    };
    const onAbort = () => {
      aborted = true;
      void stop(options.abortGraceMs ?? 300);
    };

    child.stdout.on('data', (d: Buffer) => out.write(d));
    child.stderr.on('data', (d: Buffer) => err.write(d));
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (child.pid !== undefined) return; // a kill that failed: the exit and close still come
      void startError(e, options.cwd).then((s) => {
        failedStart = s;
        closed = true;
        finish();
      });
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      timers.push(
        setTimeout(() => {
          if (closed || stopDeadline !== undefined) return;
          void lookForHolders().then((found) => {
            if (found.length > 0 && !closed && stopDeadline === undefined) options.onHeld?.(found);
          });
        }, options.heldAfterMs ?? 300),
      );
    });
    child.on('close', () => {
      closed = true;
      if (stopDeadline === undefined && child.pid !== undefined) finish();
    });
    if (child.pid === undefined) return; // the 'error' above answers
    if (options.timeoutMs !== undefined) {
      timers.push(
        setTimeout(() => {
          timedOut = true;
          void stop(options.killGraceMs ?? 5000);
        }, options.timeoutMs),
      );
    }
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
