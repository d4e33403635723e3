// How the ion-dev back end starts ion-dev: the one interface it needs from a
// process runner (own process group, a timeout that stops the whole group,
// Ctrl-C through an AbortSignal, each output line as it comes, stdout kept for
// the result map), so tests and the back end see only this.

import { runProcess } from '../../process/group.js';

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
  /** Set when the command could not be started: the errno code (ENOENT: not on PATH) and why in words. */
  startError?: { code: string; reason: string; cwdMissing: boolean };
}

export type Exec = (request: ExecRequest) => Promise<ExecResult>;

/** ion-dev's result map is small; Maven noise before it can be long. Keep the end. */
const STDOUT_CAP = 4 * 1024 * 1024;
const TAIL_LINES = 20;
/** An interrupted op's group gets this long after SIGTERM (SPEC §16: "at once"); a timed-out one the runner's 5 s. */
const ABORT_GRACE_MS = 300;

/** Through the project's one process runner (src/process/group.ts), keeping stdout apart for the result map. */
export const execIonDev: Exec = async (request) => {
  const [file, ...args] = request.argv;
  const stdout: string[] = [];
  let stdoutChars = 0;
  const result = await runProcess(file!, args, {
    cwd: request.cwd,
    ...(request.env ? { env: request.env } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
    abortGraceMs: ABORT_GRACE_MS,
    timeoutMs: request.timeoutMs,
    onLine: (line, stream) => {
      if (stream === 'stdout') {
        stdout.push(line);
        stdoutChars += line.length + 1;
        while (stdoutChars > STDOUT_CAP && stdout.length > 1) stdoutChars -= stdout.shift()!.length + 1;
      }
      request.onLine(line, stream);
    },
  });
  return {
    exitCode: result.timedOut || result.aborted || result.exitCode === null ? undefined : result.exitCode,
    stdout: stdout.join('\n'),
    tail: result.output.split('\n').slice(-TAIL_LINES),
    timedOut: result.timedOut,
    aborted: result.aborted,
    ...(result.startError ? { startError: result.startError } : {}),
  };
};
