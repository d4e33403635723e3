// A pipeline's `run` step (SPEC §3): an argv without a shell, or a string
// through /bin/sh -c; ionflow's environment plus the step's `env` and the
// IONFLOW_* variables (passed as environment, never pasted into the command);
// the app root as working folder unless `cwd` says otherwise. On failure the
// tail of its output goes with the error.

import type { RunStep } from '../config/types.js';
import { IonflowError } from '../errors.js';
import { runTree } from '../process.js';
import { formatMs } from './durations.js';
import type { RevisionRef } from './step-runner.js';

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
  revision: RevisionRef | undefined;
  app: string | undefined;
  /** Working folder when the step names none. */
  defaultCwd: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  progress?: (message: string) => void;
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

const lastLine = (text: string) => text.trimEnd().split('\n').at(-1) ?? '';

export async function runCommand(step: RunStep, c: CommandContext): Promise<string> {
  const [file, args] = typeof step.command === 'string' ? ['/bin/sh', ['-c', step.command]] : [step.command[0]!, step.command.slice(1)];
  const shown = typeof step.command === 'string' ? step.command : step.command.join(' ');
  let partial = '';
  const result = await runTree(file, args, {
    cwd: step.cwd ?? c.defaultCwd,
    env: commandEnv(step, c),
    signal: c.signal,
    // The last complete line of output, as live progress.
    onOutput: (chunk) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      const last = lines.filter((l) => l.trim() !== '').at(-1);
      if (last !== undefined) c.progress?.(last.slice(0, 200));
    },
    ...(step.timeoutMs !== undefined ? { timeoutMs: step.timeoutMs } : {}),
  });
  if (result.timedOut) throw new CommandError(`${shown} timed out after ${formatMs(step.timeoutMs ?? 0)}`, result.output);
  if (result.exitCode !== 0) {
    const how = result.exitCode === undefined ? 'did not finish (killed, or could not start)' : `exited with ${result.exitCode}`;
    throw new CommandError(`${shown} ${how}`, result.output);
  }
  const last = lastLine(result.output);
  return last ? `exited 0: ${last.slice(0, 120)}` : 'exited 0';
}
