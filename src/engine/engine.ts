// Runs one pipeline's task graph (SPEC §3). A step starts as soon as every
// step it needs has succeeded or was skipped as up to date, up to
// `concurrency` at a time. Once a step has failed nothing new starts: its
// dependants are reported as not run at once, steps already running finish,
// and every other step that never started is reported as not run when they
// have. Two ways to stop: `signal` (SIGINT/SIGTERM) is handed to every step in
// flight; `stop` (a watch restart) lets steps in flight finish at their step
// boundary, except a push, whose upload it aborts. Either ends the run
// "interrupted". Everything observable goes out as events, in the order it happens.

import { randomBytes } from 'node:crypto';
import { type DeploymentFailure, type DeploymentId, idText } from '../model/deployment.js';
import type { DeployConfig, PipelineConfig, StepConfig } from '../model/config.js';
import { ExitCode, IonflowError, isAbortError } from '../model/errors.js';
import type { EventSink, RunStatus, StepEndEvent, StepStatus } from './events.js';
import { effectiveNeeds } from '../graph/needs.js';
import { type RunInfo, type RunRevision, factsOf, type StepOutcome, type StepRunner, stepTarget } from './step-types.js';
import type { RevisionName } from '../model/revision.js';

export interface RunPipelineOptions {
  pipeline: PipelineConfig;
  /** For implicit ordering (a deploy waits for its app's push); optional in tests. */
  config?: Pick<DeployConfig, 'groups'>;
  runner: StepRunner;
  revision: RunRevision;
  emit: EventSink;
  runId?: string;
  force?: boolean;
  concurrency?: number;
  /** Hard abort (SIGINT/SIGTERM): every step in flight gets it. */
  signal?: AbortSignal;
  /**
   * Stop at the next step boundary (watch --on-new-commit restart): nothing new
   * starts, steps in flight finish, except a push (its upload is aborted). Its
   * `reason`, when a string, says why in the not-run steps' detail.
   */
  stop?: AbortSignal;
  /** The command that would resume this run (SPEC §12), given in run-end when it fails after a deployment started. */
  resumeCommand?: string;
}

export interface StepFailure {
  step: string;
  error: unknown;
}

export interface RunResult {
  run: string;
  status: RunStatus;
  exitCode: number;
  durationMs: number;
  /** The first step that failed, for the closing `error:` line. */
  failure?: StepFailure;
  /** The command that resumes the run, when run-end gave one. */
  resume?: string;
}

type State = 'pending' | 'running' | StepStatus;

export function newRunId(): string {
  return `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

function errorFields(err: unknown): NonNullable<StepEndEvent['error']> {
  const e = err as { message?: string; hint?: string; output?: string; stderrTail?: string; failure?: DeploymentFailure };
  const kind = err instanceof IonflowError ? err.kind : isAbortError(err) ? 'interrupted' : 'stepFailed';
  const message = (e?.message ?? String(err)).split('\n')[0] ?? '';
  const output = e?.output ?? (e?.stderrTail || undefined);
  return { kind, message, ...(e?.hint ? { hint: e.hint } : {}), ...(output ? { output } : {}), ...(e?.failure ? { failure: e.failure } : {}) };
}

/** The one line a failed run ends with (run-end's `error`, and the CLI's `error:` line). */
export function failureLine(failure: StepFailure): string {
  const err = failure.error;
  const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return `step ${failure.step} failed: ${message}`;
}

export async function runPipeline(opts: RunPipelineOptions): Promise<RunResult> {
  const { pipeline, runner, emit } = opts;
  const runId = opts.runId ?? newRunId();
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  const signal = opts.signal ?? new AbortController().signal;
  const stop = opts.stop;
  // Only a push is cut short by a restart: an upload in flight is worth nothing to the newer commit.
  const pushSignal = stop ? AbortSignal.any([signal, stop]) : signal;
  const info: RunInfo = { id: runId, pipeline: pipeline.key, revision: opts.revision, force: Boolean(opts.force) };
  const needs = effectiveNeeds(pipeline.steps, (group) => opts.config?.groups[group]?.app);
  const state = new Map<string, State>(pipeline.steps.map((s) => [s.id, 'pending']));
  const pushed = new Map<string, RevisionName>();
  const deployments = new Map<string, DeploymentId>();
  const deployingGroups = new Set<string>();
  const started = Date.now();
  let running = 0;
  let failure: StepFailure | undefined;
  let interrupted = false;
  let deploymentStarted = false;

  const runRef: RevisionName | undefined =
    opts.revision.uname !== undefined ? { uname: opts.revision.uname } : opts.revision.rev ? { rev: opts.revision.rev } : undefined;
  const name = opts.revision.uname !== undefined ? { uname: opts.revision.uname } : { rev: opts.revision.rev ?? '' };
  emit({ type: 'run-start', run: runId, pipeline: pipeline.key, ...name, time: new Date(started).toISOString() });

  const endStep = (step: StepConfig, status: StepStatus, t0: number, detail: string, extra: Partial<StepEndEvent> = {}) =>
    emit({ type: 'step-end', run: runId, step: step.id, status, duration_ms: Date.now() - t0, detail, ...extra });

  const markNotRun = (step: StepConfig, why: string) => {
    state.set(step.id, 'not-run');
    // A wait left out still owes the user its deployment's fate: it runs on without us.
    const left = step.kind === 'wait' ? deployments.get(step.group) : undefined;
    const tail = left ? `; deployment ${idText(left)} is left to finish` : '';
    endStep(step, 'not-run', Date.now(), `not run: ${why}${tail}`);
  };

  // Why nothing new may start (and whether a stop or an abort says so), or undefined while the run goes on.
  const haltReason = (): { why: string; stopped: boolean } | undefined => {
    if (signal.aborted) return { why: 'the run was interrupted', stopped: true };
    if (stop?.aborted) return { why: `the run was stopped${typeof stop.reason === 'string' ? `: ${stop.reason}` : ' at a step boundary'}`, stopped: true };
    if (interrupted) return { why: 'the run was interrupted', stopped: true };
    if (failure) return { why: `${failure.step} failed`, stopped: false };
    return undefined;
  };

  const record = (step: StepConfig, out: StepOutcome, t0: number) => {
    if (out.pushed) pushed.set(out.pushed.app, out.pushed.revision);
    if (out.deployment) deployments.set(out.deployment.group, out.deployment.id);
    if (out.started) deploymentStarted = true;
    state.set(step.id, out.skipped ? 'skipped' : 'succeeded');
    endStep(step, out.skipped ? 'skipped' : 'succeeded', t0, out.detail, out.facts ? { facts: out.facts } : {});
  };

  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });

  const startStep = (step: StepConfig) => {
    state.set(step.id, 'running');
    running += 1;
    if (step.kind === 'deploy') deployingGroups.add(step.group);
    const t0 = Date.now();
    emit({ type: 'step-start', run: runId, step: step.id, kind: step.kind, target: stepTarget(step) });
    const input = {
      run: info,
      signal: step.kind === 'push' ? pushSignal : signal,
      progress: (message: string) => emit({ type: 'step-progress', run: runId, step: step.id, message }),
      log: (line: string, event?: string) => emit({ type: 'log', run: runId, step: step.id, ...(event !== undefined ? { event } : {}), line }),
      revisionFor: (app: string) => pushed.get(app) ?? runRef,
      deploymentFor: (group: string) => deployments.get(group),
    };
    // A step that throws synchronously still goes through the same path.
    Promise.resolve()
      .then(() => runner(step, input))
      .then(
        (out) => record(step, out, t0),
        (err: unknown) => {
          state.set(step.id, 'failed');
          // Whatever a step cut short by its signal throws, it was interrupted, not failed.
          const fields = input.signal.aborted ? { ...errorFields(err), kind: 'interrupted' as const } : errorFields(err);
          if (fields.kind === 'interrupted') interrupted = true;
          if (!failure && fields.kind !== 'interrupted') failure = { step: step.id, error: err };
          // An interrupted step may say what it left behind ("deployment … continues").
          const detail =
            fields.kind === 'interrupted' && !/^interrupted$|abort/i.test(fields.message)
              ? `interrupted: ${fields.message}`
              : fields.kind === 'interrupted'
                ? 'interrupted'
                : fields.message;
          endStep(step, 'failed', t0, detail, { error: fields, ...(factsOf(err) ? { facts: factsOf(err) } : {}) });
        },
      )
      .finally(() => {
        running -= 1;
        if (step.kind === 'deploy') deployingGroups.delete(step.group);
        pump();
      });
  };

  // Start whatever can start; mark what never will. Repeats until nothing changes,
  // because marking one step "not run" can decide the fate of a later one. Once
  // the run halts (a failure, a stop, an abort) nothing new starts, and the steps
  // left pending are reported as not run only when the last running step has
  // ended, so step-end events come in the order steps really end.
  const pump = () => {
    if (signal.aborted) interrupted = true;
    const halt = haltReason();
    let changed = true;
    while (changed) {
      changed = false;
      for (const step of pipeline.steps) {
        // A stopped run reports everything left with the one reason it stopped.
        if (state.get(step.id) !== 'pending' || halt?.stopped) continue;
        const deps = needs.get(step.id) ?? [];
        const blocker = deps.find((d) => state.get(d) === 'failed' || state.get(d) === 'not-run');
        if (blocker) {
          markNotRun(step, `needs ${blocker}, which ${state.get(blocker) === 'failed' ? 'failed' : 'did not run'}`);
          changed = true;
          continue;
        }
        if (halt) continue;
        const ready = deps.every((d) => state.get(d) === 'succeeded' || state.get(d) === 'skipped');
        const groupBusy = step.kind === 'deploy' && deployingGroups.has(step.group);
        if (ready && !groupBusy && running < concurrency) {
          startStep(step);
          changed = true;
        }
      }
    }
    if (running === 0) {
      const left = pipeline.steps.filter((s) => state.get(s.id) === 'pending');
      // A stopped run that leaves work undone did not succeed: it was interrupted.
      if (left.length > 0 && stop?.aborted) interrupted = true;
      // Without a halt, only a cycle (rejected by validation) could leave steps pending here.
      for (const step of left) markNotRun(step, halt?.why ?? 'its needs cannot be met');
      finish();
    }
  };

  const onAbort = () => pump();
  signal.addEventListener('abort', onAbort, { once: true });
  stop?.addEventListener('abort', onAbort, { once: true });
  pump();
  await done;
  signal.removeEventListener('abort', onAbort);
  stop?.removeEventListener('abort', onAbort);

  const failed = [...state.values()].some((s) => s === 'failed');
  const status: RunStatus = interrupted ? 'interrupted' : failed ? 'failed' : 'succeeded';
  const durationMs = Date.now() - started;
  const resume = status !== 'succeeded' && deploymentStarted && opts.resumeCommand ? { resume: opts.resumeCommand } : {};
  emit({ type: 'run-end', run: runId, status, duration_ms: durationMs, ...(status === 'failed' && failure ? { error: failureLine(failure) } : {}), ...resume });
  const exitCode =
    status === 'interrupted'
      ? ExitCode.interrupted
      : status === 'failed'
        ? failure?.error instanceof IonflowError
          ? failure.error.exitCode
          : ExitCode.stepFailed
        : ExitCode.ok;
  return { run: runId, status, exitCode, durationMs, ...(failure ? { failure } : {}), ...resume };
}
