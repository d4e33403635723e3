// The one module that starts processes (node:child_process, execa). Its error keeps argv, exit
// code and the tail of stderr so a failure can be reported in one line and
// explained with --debug.

import { execFile, spawn } from 'node:child_process';
import { PassThrough, type Readable } from 'node:stream';
import { IonflowError, type ErrorKind } from './errors.js';

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
 * path (git plumbing on every run, also when everything is up to date), so it
 * uses node:child_process directly: importing execa costs ~190 ms of startup,
 * more than the rest of an up-to-date `ionflow run`. execa is loaded only by
 * the streaming and process-tree helpers below.
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
 * with node:child_process: it is on the push path, where loading execa would
 * cost more than archiving a small repository.
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
      if (!stdout.destroyed) stdout.destroy(new Error(`${argv.join(' ')} was stopped`));
    },
  };
}

export { describeFailure };

export interface CollectResult {
  /** undefined when the process was killed (timeout, signal). */
  exitCode: number | undefined;
  /** stdout and stderr interleaved, as a terminal would show them. */
  output: string;
  timedOut: boolean;
  durationMs: number;
}

/**
 * Run a command to completion without throwing on a non-zero exit (e.g. an
 * appspec hook, whose exit code and output go into a deployment record).
 * Aborting the signal still throws (interrupted).
 */
export async function runCollect(file: string, args: string[], options: Omit<RunOptions, 'input' | 'failKind'> = {}): Promise<CollectResult> {
  const started = Date.now();
  // Loaded on first use only: see run() for why startup cares.
  const { execa } = await import('execa');
  const result = await execa(file, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: true,
    cancelSignal: options.signal,
    timeout: options.timeoutMs,
    forceKillAfterDelay: 2000,
    all: true,
    reject: false,
    stdin: 'ignore',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (options.signal?.aborted) throw new ProcessError('interrupted', [file, ...args], undefined, '', 'interrupted');
  return {
    exitCode: result.exitCode,
    // A command that could not start (ENOENT, EACCES) has no output: say why instead.
    output: result.exitCode === undefined && !result.timedOut ? `${result.all ?? ''}${result.shortMessage}` : String(result.all ?? ''),
    timedOut: Boolean(result.timedOut),
    durationMs: Date.now() - started,
  };
}

export interface TreeOptions extends Omit<RunOptions, 'input' | 'failKind'> {
  /** Each chunk of output (stdout and stderr) as it arrives, e.g. for live progress. */
  onOutput?: (chunk: string) => void;
}

/**
 * Like runCollect, for user commands that may start children of their own
 * (`/bin/sh -c 'a && b'`): the command runs in its own process group, and an
 * abort or a timeout stops the whole group (SIGTERM, then SIGKILL after 2 s),
 * so no orphan keeps its output pipe open and the wait ends at once.
 */
export async function runTree(file: string, args: string[], options: TreeOptions = {}): Promise<CollectResult> {
  const started = Date.now();
  // Loaded on first use only: see run() for why startup cares.
  const { execa } = await import('execa');
  const child = execa(file, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: true,
    detached: true,
    all: true,
    reject: false,
    stdin: 'ignore',
    maxBuffer: 16 * 1024 * 1024,
  });
  let timedOut = false;
  let killTimer: NodeJS.Timeout | undefined;
  const stopGroup = () => {
    const kill = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // The group is already gone.
      }
    };
    kill('SIGTERM');
    killTimer ??= setTimeout(() => kill('SIGKILL'), 2000);
  };
  const onAbort = () => stopGroup();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) stopGroup();
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          stopGroup();
        }, options.timeoutMs);
  if (options.onOutput) child.all?.on('data', (d: Buffer) => options.onOutput!(String(d)));
  const result = await child;
  clearTimeout(timer);
  clearTimeout(killTimer);
  options.signal?.removeEventListener('abort', onAbort);
  if (options.signal?.aborted) throw new ProcessError('interrupted', [file, ...args], undefined, '', 'interrupted');
  const output = String(result.all ?? '');
  return {
    exitCode: timedOut ? undefined : result.exitCode,
    output: result.exitCode === undefined && !timedOut && !result.signal ? `${output}${result.shortMessage}` : output,
    timedOut,
    durationMs: Date.now() - started,
  };
}
