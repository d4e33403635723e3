// The one module that starts processes, on node:child_process only. `run` and
// `spawnStream` are git's fast paths (plumbing to completion, an archive as a
// stream); `runProcess` (process/group.ts) runs everything that may start
// processes of its own: hooks, `run` steps. A ProcessError keeps argv, exit
// code and the tail of stderr so a failure can be reported in one line and
// explained with --debug.

import { execFile, spawn } from 'node:child_process';
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
  const lines = stderr.trimEnd().split('\n').filter((l) => l.trim() !== '');
  const reasons = lines.filter((l) => !/^hint:/.test(l));
  return (reasons.length > 0 ? reasons : lines).at(-1)?.trim() ?? '';
}

function describeFailure(argv: string[], err: unknown): { code: number | undefined; stderr: string; message: string } {
  const e = err as { exitCode?: number; stderr?: unknown; timedOut?: boolean; isCanceled?: boolean; shortMessage?: string };
  const stderr = typeof e.stderr === 'string' ? e.stderr : '';
  const name = argv.join(' ');
  let message: string;
  if (e.timedOut) message = `${name} timed out`;
  else if (e.isCanceled) message = `${name} was interrupted`;
  else if (typeof e.exitCode === 'number') {
    const reason = lastReason(stderr);
    message = `${name} exited with ${e.exitCode}${reason ? `: ${reason}` : ''}`;
  }
  else message = e.shortMessage ?? `${name} failed`;
  return { code: e.exitCode, stderr, message };
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
        const f = describeFailure(argv, {
          exitCode: typeof e.code === 'number' ? e.code : undefined,
          stderr,
          timedOut: Boolean(options.timeoutMs && e.killed),
          shortMessage: `${argv.join(' ')} could not start: ${e.message}`,
        });
        reject(new ProcessError(options.failKind ?? 'stepFailed', argv, f.code, tail(f.stderr), f.message, error));
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
        const name = argv.join(' ');
        // A process that never started reports a negative errno as its code: not an exit code.
        const exitCode = startError || code === null ? undefined : code;
        const f = describeFailure(argv, {
          exitCode,
          stderr,
          shortMessage: startError ? `${name} could not start: ${startError.message}` : `${name} was stopped by ${signal ?? 'a signal'}`,
        });
        reject(new ProcessError('stepFailed', argv, f.code, tail(f.stderr), f.message, startError));
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

export { describeFailure };

export { type Holder, type ProcessOptions, type ProcessResult, runProcess } from './process/group.js';
