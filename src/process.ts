// The one module that starts processes, on node:child_process only. `run` and
// `spawnStream` are git's fast paths (plumbing to completion, an archive as a
// stream); `startGroupLeader` starts what process/group.ts's `runProcess`
// supervises: everything that may start processes of its own (hooks, `run`
// steps, ion-dev). A ProcessError keeps argv, exit code and the tail of
// stderr so a failure can be reported in one line and explained with --debug.

import { type ChildProcessByStdio, execFile, spawn } from 'node:child_process';
import { PassThrough, type Readable } from 'node:stream';
import { IonflowError, type ErrorKind } from './model/errors.js';

export class ProcessError extends IonflowError {
  readonly argv: string[];
  readonly exitCodeOfProcess: number | undefined;
  readonly stderrTail: string;

  constructor(kind: ErrorKind, argv: string[], exitCode: number | undefined, stderrTail: string, message: string, cause?: unknown) {
    super(kind, message, { cause });
    this.name = 'ProcessError';
    this.argv = argv;
    this.exitCodeOfProcess = exitCode;
    this.stderrTail = stderrTail;
  }
}

export function tail(text: string, maxLines = 20): string {
  const lines = text.trimEnd().split('\n');
  return lines.slice(-maxLines).join('\n');
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Error kind when the process fails (default stepFailed). */
  failKind?: ErrorKind;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * The line of stderr that says why: the last one that is not advice. git ends
 * many errors with `hint:` lines that hide the `fatal:`/`error:` line above.
 */
export function lastReason(stderr: string): string {
  const lines = stderr
    .trimEnd()
    .split('\n')
    .filter((l) => l.trim() !== '');
  const reasons = lines.filter((l) => !/^hint:/.test(l));
  return (reasons.length > 0 ? reasons : lines).at(-1)?.trim() ?? '';
}

/** How a command ended, as the facts the message is made of (never another library's message text). */
interface Ending {
  exitCode: number | undefined;
  stderr: string;
  timedOut?: boolean;
  /** Why it never ran or stopped without an exit code: "could not start: …", "was stopped by SIGKILL". */
  otherwise: string;
}

function failureMessage(argv: string[], end: Ending): string {
  const name = argv.join(' ');
  if (end.timedOut) return `${name} timed out`;
  if (end.exitCode !== undefined) {
    const reason = lastReason(end.stderr);
    return `${name} exited with ${end.exitCode}${reason ? `: ${reason}` : ''}`;
  }
  return `${name} ${end.otherwise}`;
}

/**
 * Run a command to completion, capturing output (no shell). This is the hot
 * path (git plumbing on every run, also when everything is up to date): the
 * whole output is kept, no process group, nothing to load beyond
 * node:child_process (execa, used before, cost ~190 ms of startup).
 */
export function run(file: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const argv = [file, ...args];
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      {
        cwd: options.cwd,
        env: options.env ? { ...process.env, ...options.env } : process.env,
        signal: options.signal,
        timeout: options.timeoutMs,
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (!error) {
          resolve({ stdout, stderr, exitCode: 0 });
          return;
        }
        if (options.signal?.aborted) {
          reject(new ProcessError('interrupted', argv, undefined, '', 'interrupted', error));
          return;
        }
        const e = error as NodeJS.ErrnoException & { code?: number | string; killed?: boolean };
        const exitCode = typeof e.code === 'number' ? e.code : undefined;
        const message = failureMessage(argv, {
          exitCode,
          stderr,
          timedOut: Boolean(options.timeoutMs && e.killed),
          otherwise: `could not start: ${e.message}`,
        });
        reject(new ProcessError(options.failKind ?? 'stepFailed', argv, exitCode, tail(stderr), message, error));
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

export interface StreamingProcess {
  /** The command's stdout, to be consumed by the caller. */
  stdout: Readable;
  /** Resolves when the command exits 0; rejects with a ProcessError otherwise (kind `interrupted` when aborted). */
  done: Promise<void>;
  /** Stop the command (SIGTERM) if it still runs. */
  kill(): void;
}

/**
 * Start a command whose stdout is consumed as a stream (e.g. `git archive`),
 * on the push path.
 */
export function spawnStream(file: string, args: string[], options: { cwd?: string; signal?: AbortSignal } = {}): StreamingProcess {
  const argv = [file, ...args];
  const child = spawn(file, args, { cwd: options.cwd, signal: options.signal, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    stderr = (stderr + d).slice(-64 * 1024);
  });
  const done = new Promise<void>((resolve, reject) => {
    let startError: Error | undefined;
    child.on('error', (err) => {
      startError = err;
    });
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else if (options.signal?.aborted) reject(new ProcessError('interrupted', argv, undefined, '', 'interrupted', startError));
      else {
        // A process that never started reports a negative errno as its code: not an exit code.
        const exitCode = startError || code === null ? undefined : code;
        const otherwise = startError ? `could not start: ${startError.message}` : `was stopped by ${signal ?? 'a signal'}`;
        reject(new ProcessError('stepFailed', argv, exitCode, tail(stderr), failureMessage(argv, { exitCode, stderr, otherwise }), startError));
      }
    });
  });
  done.catch(() => undefined); // the caller awaits it; never an unhandled rejection meanwhile
  // Node discards a child's unread output when it exits: a pipe attached now
  // keeps every byte for a consumer that starts reading later.
  const stdout = child.stdout.pipe(new PassThrough({ highWaterMark: 64 * 1024 }));
  return {
    stdout,
    done,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill();
      // Nobody reads the output any more: drain it, or the child's 'close'
      // (and so `done`) would wait for a reader forever.
      child.stdout.unpipe(stdout);
      child.stdout.resume();
      // An error nobody listens for would crash the process: a consumer that failed before it
      // started reading (a store refusing at once) has nothing left to tell.
      if (!stdout.destroyed) stdout.destroy(stdout.listenerCount('error') > 0 ? new Error(`${argv.join(' ')} was stopped`) : undefined);
    },
  };
}

/**
 * Start a command as the leader of a new process group (setsid), its output
 * on pipes: process/group.ts watches it, its output and its group to the end.
 */
export function startGroupLeader(
  file: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv },
): ChildProcessByStdio<null, Readable, Readable> {
  return spawn(file, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    detached: true, // setsid(): a group of its own, out of reach of the terminal's Ctrl-C
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
