// Runs one pipeline's task graph (SPEC §3). A step starts as soon as every
// step it needs has succeeded or was skipped as up to date, up to
// `concurrency` at a time; a failed step stops its dependants (reported as
// not run) while independent branches carry on; an abort (SIGINT/SIGTERM, a
// watch restart) starts nothing new, hands the signal to steps in flight and
// ends the run "interrupted". Everything observable goes out as events.

import { randomBytes } from 'node:crypto';
import type { DeploymentId } from '../backends/types.js';
import type { DeployConfig, PipelineConfig, StepConfig } from '../config/types.js';
import { ExitCode, IonflowError, isAbortError } from '../errors.js';
import type { EventSink, RunStatus, StepEndEvent, StepStatus } from './events.js';
import { effectiveNeeds } from './needs.js';
import { type RevisionRef, type RunInfo, type RunRevision, type StepOutcome, type StepRunner, stepTarget } from './step-runner.js';

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
  signal?: AbortSignal;
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
}

type State = 'pending' | 'running' | StepStatus | 'not-run';

export function newRunId(): string {
  return `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

function errorFields(err: unknown): NonNullable<StepEndEvent['error']> {
  const e = err as { message?: string; hint?: string; output?: string; stderrTail?: string };
  const kind = err instanceof IonflowError ? err.kind : isAbortError(err) ? 'interrupted' : 'stepFailed';
  const message = (e?.message ?? String(err)).split('\n')[0] ?? '';
  const output = e?.output ?? (e?.stderrTail || undefined);
  return { kind, message, ...(e?.hint ? { hint: e.hint } : {}), ...(output ? { output } : {}) };
}

export async function runPipeline(opts: RunPipelineOptions): Promise<RunResult> {
  const { pipeline, runner, emit } = opts;
  const runId = opts.runId ?? newRunId();
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  const signal = opts.signal ?? new AbortController().signal;
  const info: RunInfo = { id: runId, pipeline: pipeline.key, revision: opts.revision, force: Boolean(opts.force) };
  const needs = effectiveNeeds(pipeline.steps, (group) => opts.config?.groups[group]?.app);
  const state = new Map<string, State>(pipeline.steps.map((s) => [s.id, 'pending']));
  const pushed = new Map<string, RevisionRef>();
  const deployments = new Map<string, DeploymentId>();
  const deployingGroups = new Set<string>();
  const started = Date.now();
  let running = 0;
  let failure: StepFailure | undefined;
  let interrupted = false;

  const runRef: RevisionRef | undefined =
    opts.revision.uname !== undefined ? { uname: opts.revision.uname } : opts.revision.rev ? { rev: opts.revision.rev } : undefined;
  const name = opts.revision.uname !== undefined ? { uname: opts.revision.uname } : { rev: opts.revision.rev ?? '' };
  emit({ type: 'run-start', run: runId, pipeline: pipeline.key, ...name, time: new Date(started).toISOString() });

  const endStep = (step: StepConfig, status: StepStatus, t0: number, detail: string, extra: Partial<StepEndEvent> = {}) =>
    emit({ type: 'step-end', run: runId, step: step.id, status, duration_ms: Date.now() - t0, detail, ...extra });

  const markNotRun = (step: StepConfig, why: string) => {
    state.set(step.id, 'not-run');
    endStep(step, 'skipped', Date.now(), `not run: ${why}`, { notRun: true });
  };

  const record = (step: StepConfig, out: StepOutcome, t0: number) => {
    if (out.pushed) pushed.set(out.pushed.app, out.pushed.revision);
    if (out.deployment) deployments.set(out.deployment.group, out.deployment.id);
    state.set(step.id, out.skipped ? 'skipped' : 'succeeded');
    endStep(step, out.skipped ? 'skipped' : 'succeeded', t0, out.detail, out.info ? { info: out.info } : {});
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
      signal,
      progress: (message: string) => emit({ type: 'step-progress', run: runId, step: step.id, message }),
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
          const fields = errorFields(err);
          if (fields.kind === 'interrupted' || signal.aborted) interrupted = true;
          if (!failure && fields.kind !== 'interrupted') failure = { step: step.id, error: err };
          // An interrupted step may say what it left behind ("deployment … continues").
          const detail = fields.kind === 'interrupted' && !/^interrupted$|abort/i.test(fields.message) ? `interrupted: ${fields.message}` : fields.kind === 'interrupted' ? 'interrupted' : fields.message;
          endStep(step, 'failed', t0, detail, { error: fields });
        },
      )
      .finally(() => {
        running -= 1;
        if (step.kind === 'deploy') deployingGroups.delete(step.group);
        pump();
      });
  };

  // Start whatever can start; mark what never will. Repeats until nothing changes,
  // because marking one step "not run" can decide the fate of a later one.
  const pump = () => {
    if (signal.aborted) interrupted = true;
    let changed = true;
    while (changed) {
      changed = false;
      for (const step of pipeline.steps) {
        if (state.get(step.id) !== 'pending') continue;
        if (interrupted) {
          markNotRun(step, 'the run was interrupted');
          changed = true;
          continue;
        }
        const deps = needs.get(step.id) ?? [];
        const blocker = deps.find((d) => state.get(d) === 'failed' || state.get(d) === 'not-run');
        if (blocker) {
          markNotRun(step, `needs ${blocker}, which ${state.get(blocker) === 'failed' ? 'failed' : 'did not run'}`);
          changed = true;
          continue;
        }
        const ready = deps.every((d) => state.get(d) === 'succeeded' || state.get(d) === 'skipped');
        const groupBusy = step.kind === 'deploy' && deployingGroups.has(step.group);
        if (ready && !groupBusy && running < concurrency) {
          startStep(step);
          changed = true;
        }
      }
    }
    if (running === 0) {
      // Only a cycle (rejected by validation) could leave steps pending here.
      for (const step of pipeline.steps) if (state.get(step.id) === 'pending') markNotRun(step, 'its needs cannot be met');
      finish();
    }
  };

  const onAbort = () => pump();
  signal.addEventListener('abort', onAbort, { once: true });
  pump();
  await done;
  signal.removeEventListener('abort', onAbort);

  const failed = [...state.values()].some((s) => s === 'failed');
  const status: RunStatus = interrupted ? 'interrupted' : failed ? 'failed' : 'succeeded';
  const durationMs = Date.now() - started;
  emit({ type: 'run-end', run: runId, status, duration_ms: durationMs });
  const exitCode =
    status === 'interrupted'
      ? ExitCode.interrupted
      : status === 'failed'
        ? failure?.error instanceof IonflowError
          ? failure.error.exitCode
          : ExitCode.stepFailed
        : ExitCode.ok;
  return { run: runId, status, exitCode, durationMs, ...(failure ? { failure } : {}) };
}
