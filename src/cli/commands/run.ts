// `ionflow run <pipeline>` (SPEC §2): load and check deploy.yaml, pick the
// revision (HEAD, --rev or --uname), run the pipeline's graph through the
// engine with the chosen renderer, and turn the outcome into the exit code
// (a step failed 1, precondition 3, wait timeout 4, interrupted 130).
// `watch` reuses the same setup for each of its runs.

import { unknownNameMessage } from '../../text/did-you-mean.js';
import { loadConfig } from '../../config/load.js';
import { checkUname } from '../../model/names.js';
import type { DeployConfig, PipelineConfig } from '../../model/config.js';
import { makeAsk, noTerminalError } from '../../actions/confirm.js';
import type { EventSink } from '../../engine/events.js';
import { failureLine, newRunId, type RunResult, runPipeline } from '../../engine/engine.js';
import { journalSink, noteResumes } from '../../journal/journal.js';
import { appRoot, pipelineApp, realRunner } from '../../actions/step-runner.js';
import type { RunRevision, StepRunner } from '../../engine/step-types.js';
import { ExitCode, InterruptedError, IonflowError, usageError } from '../../model/errors.js';
import { createRenderer } from '../../render/renderer.js';
import { type OutputOption, type Renderer, resolveOutputMode } from '../../render/types.js';
import { backendOptions, type CliContext } from '../context.js';

export interface RunCommandOptions {
  rev?: string;
  uname?: string;
  yes?: boolean;
  force?: boolean;
  concurrency?: number;
  output?: OutputOption;
  overrideGate?: string;
  /** commander's --no-preflight: false skips the preflight checks (SPEC §14). */
  preflight?: boolean;
  /** Not a flag of run/watch (they print events, not a map): refused with the one that is. */
  json?: boolean;
  /** --resume [run-id]: true for the pipeline's newest run that did not succeed. */
  resume?: string | boolean;
}

export interface Session {
  config: DeployConfig;
  pipeline: PipelineConfig;
  renderer: Renderer;
  runner: StepRunner;
  /** The folder whose git repository names the revision. */
  repoDir: string;
  /** Events to the renderer and to the run's journal (SPEC §12). */
  emit: EventSink;
  /** The revision to run, asked of git alongside preflight (openSession's `revision` option). */
  revision?: Promise<RunRevision>;
}

export async function openSession(
  ctx: CliContext,
  options: RunCommandOptions,
  pipelineKey: string | undefined,
  { revision: wantRevision = false } = {},
): Promise<Session> {
  if (options.json) throw usageError('run and watch print no result map to turn into JSON', { hint: 'for events as JSON lines use --output jsonl' });
  const config = await loadConfig({ config: ctx.global.config, cwd: ctx.cwd, resolveSymbols: true, warn: ctx.log });
  const pipeline = pipelineKey === undefined ? undefined : config.pipelines[pipelineKey];
  if (!pipeline) {
    throw usageError(unknownNameMessage('pipeline', pipelineKey ?? '', Object.keys(config.pipelines)), {
      hint: 'see them with: ionflow list',
    });
  }
  if (options.rev !== undefined && options.uname !== undefined) throw usageError('give --rev or --uname, not both');
  checkUname(options.uname);
  // Refuse before anything is pushed rather than at the confirm step, half-way through.
  const confirm = pipeline.steps.find((s) => s.kind === 'confirm');
  if (confirm && !options.yes && !ctx.stdin.isTTY) throw noTerminalError(confirm.question);

  const mode = resolveOutputMode(options.output, ctx.stderr as { isTTY?: boolean }, ctx.env);
  const renderer = await createRenderer(mode, { pipeline, stdout: ctx.stdout, stderr: ctx.stderr, env: ctx.env });
  const ask = makeAsk({ yes: Boolean(options.yes), stdin: ctx.stdin });
  const gate = options.overrideGate !== undefined ? { overrideGate: options.overrideGate } : {};
  const runner = realRunner({ config, pipeline, ask, env: ctx.env, backend: backendOptions(ctx), ...gate });
  const repoDir = appRoot(config, pipelineApp(config, pipeline));
  // Asked of git while preflight runs; a failure surfaces only after preflight's own.
  const revision = wantRevision ? runRevision(repoDir, options, ctx.signal) : undefined;
  revision?.catch(() => undefined);
  // SPEC §14: a wrong profile, region or bucket fails here, in about a second, before any push.
  if (options.preflight !== false) {
    const { enforcePreflight } = await import('../../actions/preflight/preflight.js');
    await enforcePreflight(config, pipeline, backendOptions(ctx), (line) => renderer.note(line));
  }
  const journal = journalSink(config.dir, (line) => renderer.note(line));
  const emit: EventSink = (e) => {
    journal(e);
    renderer.event(e);
  };
  return { config, pipeline, renderer, runner, repoDir, emit, ...(revision ? { revision } : {}) };
}

/** Rethrow a run's outcome as the one `error:` line main() prints, with its exit code. */
export function outcomeError(result: RunResult): IonflowError | undefined {
  const trailer = result.resume ? [`resume: ${result.resume}`] : [];
  if (result.status === 'interrupted') return trailer.length ? new IonflowError('interrupted', 'interrupted', { trailer }) : new InterruptedError();
  if (result.status !== 'failed') return undefined;
  const failure = result.failure ?? { step: '?', error: 'failed' };
  const err = failure.error;
  const kind = err instanceof IonflowError ? err.kind : 'stepFailed';
  const hint = err instanceof IonflowError ? err.hint : undefined;
  return new IonflowError(kind, failureLine(failure), { hint, cause: err, trailer });
}

async function runRevision(repoDir: string, options: RunCommandOptions, signal: AbortSignal): Promise<RunRevision> {
  if (options.uname !== undefined) return { uname: options.uname, named: false };
  const git = await import('../../git/git.js');
  if (options.rev !== undefined) return { rev: await git.resolveRev(repoDir, options.rev, signal), named: true };
  return { rev: await git.requireHead(repoDir, signal), named: false };
}

export default async function run(ctx: CliContext, options: RunCommandOptions, pipelineKey?: string): Promise<number> {
  const resume = options.resume !== undefined && options.resume !== false;
  const session = await openSession(ctx, options, pipelineKey, { revision: !resume });
  let runner = session.runner;
  let revision: RunRevision;
  let emit = session.emit;
  if (resume) {
    if (options.rev !== undefined || options.uname !== undefined) throw usageError('--resume runs the revision of the run it resumes: give no --rev or --uname');
    const { planResume } = await import('../../actions/resume.js');
    const choice = await planResume(session.config, session.pipeline, typeof options.resume === 'string' ? options.resume : undefined, backendOptions(ctx));
    if ('succeeded' in choice) {
      ctx.log(`run ${choice.succeeded.id} of pipeline ${session.pipeline.key} succeeded; nothing to resume`);
      return ExitCode.ok;
    }
    session.renderer.note(`resuming run ${choice.journal.id} (${choice.journal.status})`);
    revision = choice.revision;
    runner = choice.wrap(runner);
    const resumed = choice.journal.id;
    emit = (e) => {
      session.emit(e);
      if (e.type === 'run-start') noteResumes(session.config.dir, e.run, resumed);
    };
  } else {
    revision = await (session.revision ?? runRevision(session.repoDir, options, ctx.signal));
  }
  const runId = newRunId();
  const result = await runPipeline({
    pipeline: session.pipeline,
    config: session.config,
    runner,
    revision,
    runId,
    emit,
    force: Boolean(options.force),
    concurrency: options.concurrency ?? 4,
    signal: ctx.signal,
    resumeCommand: `ionflow run ${session.pipeline.key} --resume ${runId}`,
  });
  await session.renderer.settled();
  const error = outcomeError(result);
  if (error) throw error;
  return result.exitCode;
}
