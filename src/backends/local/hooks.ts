// Runs appspec.yml hook scripts like the CodeDeploy agent: one event after the
// other, each script by `location` relative to its release, with its timeout,
// in ionflow's environment plus the agent's variables. The first failure stops
// the deployment; every run is kept (exit code, duration, output tail).
// Each script runs in a process group of its own (SPEC §6): its timeout covers
// whatever it started that still holds its output, and stops all of it.

import { access, chmod, constants, stat } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import { runProcess } from '../../process/group.js';
import { ProcessError, tail } from '../../process.js';
import type { Redact } from '../../text/redact.js';
import type { AppSpec, LifecycleEvent } from './appspec.js';
import { BACKGROUND_FIX, type HookRun, holdersText } from './hook-run.js';
import { linkOnPath } from './hook-links.js';

export { describeFailure, type HookRun } from './hook-run.js';

export interface HookEnv {
  deploymentId: string;
  appName: string;
  group: string;
}

export interface HookStep {
  event: LifecycleEvent;
  releaseDir: string;
  release: string;
  spec: AppSpec | undefined;
}

const OUTPUT_LINES = 40;
const OUTPUT_CHARS = 8000;

function outputTail(text: string): string {
  const t = tail(text, OUTPUT_LINES);
  return t.length > OUTPUT_CHARS ? t.slice(-OUTPUT_CHARS) : t;
}

async function ensureExecutable(file: string): Promise<void> {
  try {
    await access(file, constants.X_OK);
  } catch {
    // The CodeDeploy agent makes a non-executable hook script executable, then runs it.
    const { mode } = await stat(file);
    await chmod(file, mode | 0o111);
  }
}

export interface HookOptions {
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
  /** Each line of a script's output as it arrives (already redacted). */
  onLog?: (event: LifecycleEvent, line: string) => void;
  onRun?: (run: HookRun) => Promise<void>;
  redact?: Redact;
}

async function runScript(step: HookStep, location: string, timeoutS: number, env: HookEnv, options: HookOptions): Promise<HookRun> {
  const base = { event: step.event, location, release: step.release, timeoutS };
  const file = resolve(step.releaseDir, location);
  const rel = relative(step.releaseDir, file);
  if (rel.startsWith(`..${sep}`) || rel === '..') {
    return { ...base, exitCode: null, timedOut: false, durationMs: 0, outputTail: `${location} is outside the release` };
  }
  const link = await linkOnPath(step.releaseDir, rel);
  if (link !== undefined) {
    return { ...base, exitCode: null, timedOut: false, durationMs: 0, outputTail: `${location} is a link (${link}): hooks never run through links` };
  }
  try {
    await ensureExecutable(file);
  } catch {
    return { ...base, exitCode: null, timedOut: false, durationMs: 0, outputTail: `${location} not found in the release` };
  }
  const result = await runProcess(file, [], {
    cwd: step.releaseDir,
    env: {
      LIFECYCLE_EVENT: step.event,
      DEPLOYMENT_ID: env.deploymentId,
      APPLICATION_NAME: env.appName,
      DEPLOYMENT_GROUP_NAME: env.group,
    },
    timeoutMs: timeoutS * 1000,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.redact ? { redact: options.redact } : {}),
    onLine: (line) => options.onLog?.(step.event, line),
    onHeld: (holders) =>
      options.onProgress?.(
        `${step.event}: ${location} exited, but ${holdersText(holders)} still holds its output: waiting for it up to the ${timeoutS}s timeout; ${BACKGROUND_FIX}`,
      ),
  });
  if (result.aborted) throw new ProcessError('interrupted', result.argv, undefined, '', 'interrupted');
  // The script had exited but its output stayed open: what held it is part of the record.
  const held = result.timedOut && result.stoppedWhileHeld;
  return {
    ...base,
    exitCode: result.timedOut ? null : result.exitCode,
    timedOut: result.timedOut,
    ...(held ? { heldBy: result.heldBy } : {}),
    durationMs: result.durationMs,
    outputTail: result.startError ? `${location} could not start: ${result.startError.reason} (${result.startError.code})` : outputTail(result.output),
  };
}

/**
 * Run the steps' scripts in order. `onRun` sees each finished run (so the
 * record on disk follows along); returns all runs and the first failure.
 */
export async function runHooks(steps: HookStep[], env: HookEnv, options: HookOptions): Promise<{ runs: HookRun[]; failure?: HookRun }> {
  const runs: HookRun[] = [];
  for (const step of steps) {
    for (const script of step.spec?.hooks[step.event] ?? []) {
      options.signal?.throwIfAborted();
      options.onProgress?.(`${step.event}: ${script.location} (${step.release.slice(0, 12)})`);
      const run = await runScript(step, script.location, script.timeoutS, env, options);
      runs.push(run);
      await options.onRun?.(run);
      if (run.timedOut || run.exitCode !== 0) return { runs, failure: run };
    }
  }
  return { runs };
}
