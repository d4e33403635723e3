// Runs appspec.yml hook scripts like the CodeDeploy agent: one event after the
// other, each script by `location` relative to its release, with its timeout,
// in ionflow's environment plus the agent's variables. The first failure stops
// the deployment; every run is kept (exit code, duration, output tail).

import { access, chmod, constants, stat } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import { runCollect, tail } from '../../process.js';
import type { AppSpec, LifecycleEvent } from './appspec.js';
import { linkOnPath } from './hook-links.js';

export interface HookRun {
  event: LifecycleEvent;
  /** The script's `location` in appspec.yml. */
  location: string;
  /** The release the script came from (ApplicationStop runs the previous one's). */
  release: string;
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  outputTail: string;
}

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

async function runScript(
  step: HookStep,
  location: string,
  timeoutS: number,
  env: HookEnv,
  signal?: AbortSignal,
): Promise<HookRun> {
  const base = { event: step.event, location, release: step.release };
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
  const result = await runCollect(file, [], {
    cwd: step.releaseDir,
    env: {
      LIFECYCLE_EVENT: step.event,
      DEPLOYMENT_ID: env.deploymentId,
      APPLICATION_NAME: env.appName,
      DEPLOYMENT_GROUP_NAME: env.group,
    },
    timeoutMs: timeoutS * 1000,
    ...(signal ? { signal } : {}),
  });
  return {
    ...base,
    exitCode: result.exitCode ?? null,
    timedOut: result.timedOut,
    durationMs: result.durationMs,
    outputTail: outputTail(result.output),
  };
}

export function describeFailure(run: HookRun): string {
  const what = `${run.event} hook ${run.location}`;
  if (run.timedOut) return `${what} timed out after ${Math.round(run.durationMs / 1000)}s`;
  if (run.exitCode === null) return `${what} failed: ${tail(run.outputTail, 1)}`;
  const last = tail(run.outputTail, 1);
  return `${what} exited with ${run.exitCode}${last ? `: ${last}` : ''}`;
}

/**
 * Run the steps' scripts in order. `onRun` sees each finished run (so the
 * record on disk follows along); returns all runs and the first failure.
 */
export async function runHooks(
  steps: HookStep[],
  env: HookEnv,
  options: { signal?: AbortSignal; onProgress?: (message: string) => void; onRun?: (run: HookRun) => Promise<void> },
): Promise<{ runs: HookRun[]; failure?: HookRun }> {
  const runs: HookRun[] = [];
  for (const step of steps) {
    for (const script of step.spec?.hooks[step.event] ?? []) {
      options.signal?.throwIfAborted();
      options.onProgress?.(`${step.event}: ${script.location} (${step.release.slice(0, 12)})`);
      const run = await runScript(step, script.location, script.timeoutS, env, options.signal);
      runs.push(run);
      await options.onRun?.(run);
      if (run.exitCode !== 0) return { runs, failure: run };
    }
  }
  return { runs };
}
