// How the ion-dev back end starts ion-dev: the one interface it needs from a
// process runner (own process group, a timeout that stops the whole group,
// Ctrl-C through an AbortSignal, each output line as it comes, stdout kept for
// the result map). Written against this small interface so that moving to the
// project's general runner is a change to this file only.

import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';

export interface ExecRequest {
  argv: string[];
  cwd: string;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  /** Every line of stdout and stderr, as it arrives. */
  onLine(line: string, stream: 'stdout' | 'stderr'): void;
}

export interface ExecResult {
  /** undefined when the process was killed (timeout, abort) or never started. */
  exitCode: number | undefined;
  /** stdout, the newest STDOUT_CAP characters of it. */
  stdout: string;
  /** The last lines of stdout and stderr, interleaved as they came. */
  tail: string[];
  timedOut: boolean;
  aborted: boolean;
  /** Set when the command could not be started (ENOENT: not on PATH; EACCES …). */
  startError?: NodeJS.ErrnoException;
}

export type Exec = (request: ExecRequest) => Promise<ExecResult>;

/** ion-dev's result map is small; Maven noise before it can be long. Keep the end. */
const STDOUT_CAP = 4 * 1024 * 1024;
const TAIL_LINES = 20;
/** A timed-out group gets this long after SIGTERM; an interrupted one much less (SPEC §16: "at once"). */
const KILL_AFTER_TIMEOUT_MS = 5000;
const KILL_AFTER_ABORT_MS = 500;

function splitter(onLine: (line: string) => void) {
  const decoder = new StringDecoder('utf8');
  let partial = '';
  const emit = (line: string) => onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  return {
    write(chunk: Buffer) {
      const lines = (partial + decoder.write(chunk)).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) emit(line);
    },
    end() {
      const rest = partial + decoder.end();
      partial = '';
      if (rest !== '') emit(rest);
    },
  };
}

export const execIonDev: Exec = (request) =>
  new Promise((resolve) => {
    const [file, ...args] = request.argv;
    const child = spawn(file!, args, {
      cwd: request.cwd,
      env: request.env ?? process.env,
      detached: true, // its own process group: a kill reaches the JVM and whatever it started
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    const tail: string[] = [];
    let timedOut = false;
    let aborted = false;
    let startError: NodeJS.ErrnoException | undefined;
    let killTimer: NodeJS.Timeout | undefined;

    const line = (stream: 'stdout' | 'stderr') => (text: string) => {
      tail.push(text);
      if (tail.length > TAIL_LINES) tail.shift();
      request.onLine(text, stream);
    };
    const out = splitter(line('stdout'));
    const err = splitter(line('stderr'));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (stdout.length > STDOUT_CAP * 2) stdout = stdout.slice(-STDOUT_CAP);
      out.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => err.write(chunk));

    const stopGroup = (graceMs: number) => {
      const kill = (signal: NodeJS.Signals) => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, signal);
        } catch {
          // The group is gone already.
        }
      };
      kill('SIGTERM');
      killTimer ??= setTimeout(() => kill('SIGKILL'), graceMs);
    };
    const onAbort = () => {
      aborted = true;
      stopGroup(KILL_AFTER_ABORT_MS);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stopGroup(KILL_AFTER_TIMEOUT_MS);
    }, request.timeoutMs);
    request.signal?.addEventListener('abort', onAbort, { once: true });
    if (request.signal?.aborted) onAbort();

    child.on('error', (e: NodeJS.ErrnoException) => {
      startError = e;
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      request.signal?.removeEventListener('abort', onAbort);
      out.end();
      err.end();
      resolve({
        exitCode: timedOut || aborted || startError ? undefined : (code ?? undefined),
        stdout: stdout.length > STDOUT_CAP ? stdout.slice(-STDOUT_CAP) : stdout,
        tail,
        timedOut,
        aborted,
        ...(startError ? { startError } : {}),
      });
    });
  });
