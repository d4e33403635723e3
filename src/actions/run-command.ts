// A pipeline's `run` step (SPEC §3): an argv without a shell, or a string
// through /bin/sh -c; ionflow's environment plus the step's `env` and the
// IONFLOW_* variables (passed as environment, never pasted into the command);
// the app root as working folder unless `cwd` says otherwise. Every line of
// output goes out as a log event (plain/CI logs and jsonl show them all, the
// live renderer the latest), with known credentials masked; on failure the tail
// of its output goes with the error, and a command that could not start says why.

import type { RunStep } from '../model/config.js';
import { InterruptedError, IonflowError } from '../model/errors.js';
import { runProcess } from '../process/group.js';
import { redactor } from '../text/redact.js';
import { limitText } from '../text/durations.js';
import type { RevisionName } from '../model/revision.js';

/** A failed `run` step: the renderers show `output` under it. */
export class CommandError extends IonflowError {
  readonly output: string;
  constructor(message: string, output: string) {
    super('stepFailed', message);
    this.name = 'CommandError';
    this.output = output;
  }
}

export interface CommandContext {
  pipeline: string;
  runId: string;
  revision: RevisionName | undefined;
  app: string | undefined;
  /** Working folder when the step names none. */
  defaultCwd: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  /** Each line of the command's output, as it arrives. */
  log?: (line: string) => void;
}

export function commandEnv(step: RunStep, c: CommandContext): Record<string, string | undefined> {
  return {
    ...c.env,
    ...step.env,
    IONFLOW_PIPELINE: c.pipeline,
    IONFLOW_RUN_ID: c.runId,
    ...(c.revision?.uname !== undefined ? { IONFLOW_UNAME: c.revision.uname } : { IONFLOW_REV: c.revision?.rev ?? '' }),
    IONFLOW_APP: c.app ?? '',
  };
}

/** A line longer than this is cut: a log line, not a dump. */
const MAX_LINE = 4000;

const lastLine = (text: string) => text.trimEnd().split('\n').at(-1) ?? '';

export async function runCommand(step: RunStep, c: CommandContext): Promise<string> {
  const [file, args] = typeof step.command === 'string' ? ['/bin/sh', ['-c', step.command]] : [step.command[0]!, step.command.slice(1)];
  const shown = typeof step.command === 'string' ? step.command : step.command.join(' ');
  const cwd = step.cwd ?? c.defaultCwd;
  const env = commandEnv(step, c);
  const result = await runProcess(file, args, {
    cwd,
    env,
    signal: c.signal,
    redact: redactor({ ...process.env, ...env }),
    onLine: (line) => {
      if (line.trim() !== '') c.log?.(line.slice(0, MAX_LINE));
    },
    ...(step.timeoutMs !== undefined ? { timeoutMs: step.timeoutMs } : {}),
  });
  if (result.aborted) throw new InterruptedError();
  if (result.timedOut) throw new CommandError(`${shown} timed out after ${limitText(step.timeoutMs ?? 0)}`, result.output);
  const failed = result.startError;
  if (failed) {
    const why = failed.cwdMissing ? `: cwd ${cwd} does not exist` : ` ${typeof step.command === 'string' ? shown : file}: ${failed.reason}`;
    throw new CommandError(`cannot start${why} (${failed.code})`, '');
  }
  if (result.exitCode === null) throw new CommandError(`${shown} was killed by ${result.signal ?? 'a signal'}`, result.output);
  if (result.exitCode !== 0) {
    const notFound = result.exitCode === 127 && typeof step.command === 'string' ? ' (command not found)' : '';
    throw new CommandError(`${shown} exited with ${result.exitCode}${notFound}`, result.output);
  }
  const last = lastLine(result.output);
  return last ? `exited 0: ${last.slice(0, 120)}` : 'exited 0';
}
