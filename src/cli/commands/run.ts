// `ionflow run <pipeline>` (SPEC §2): load and check deploy.yaml, pick the
// revision (HEAD, --rev or --uname), run the pipeline's graph through the
// engine with the chosen renderer, and turn the outcome into the exit code
// (a step failed 1, precondition 3, wait timeout 4, interrupted 130).
// The setup, shared with `watch`, is ../session.ts.

import { failureLine, newRunId, type RunResult, runPipeline } from '../../engine/engine.js';
import type { GitFacts } from '../../git/facts.js';
import { commitOrRefuse, resolveRev } from '../../git/git.js';
import { noteResumes } from '../../journal/journal.js';
import type { RunRevision } from '../../engine/step-types.js';
import { ExitCode, InterruptedError, IonflowError, usageError } from '../../model/errors.js';
import { backendOptions, type CliContext } from '../context.js';
import { openSession, type RunCommandOptions } from '../session.js';

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

async function runRevision(repoDir: string, options: RunCommandOptions, signal: AbortSignal, facts: GitFacts): Promise<RunRevision> {
  if (options.uname !== undefined) return { uname: options.uname, named: false };
  if (options.rev !== undefined) return { rev: await resolveRev(repoDir, options.rev, signal), named: true };
  // HEAD, as preflight and a first push see it: located once (src/git/facts.ts).
  return { rev: commitOrRefuse((await facts.locate(repoDir)).head), named: false };
}

export default async function run(ctx: CliContext, options: RunCommandOptions, pipelineKey?: string): Promise<number> {
  const resume = options.resume !== undefined && options.resume !== false;
  // The revision is asked of git while preflight runs (a resumed run takes its journal's instead).
  const pushesHead = !resume && options.rev === undefined && options.uname === undefined;
  const session = await openSession(
    ctx,
    options,
    pipelineKey,
    resume ? {} : { revision: (dir, facts) => runRevision(dir, options, ctx.signal, facts), pushesHead },
  );
  let runner = session.runner;
  let revision: RunRevision;
  let emit = session.emit;
  if (resume) {
    if (options.rev !== undefined || options.uname !== undefined)
      throw usageError('--resume runs the revision of the run it resumes: give no --rev or --uname');
    // lazy: resume costs 8.2 ms; only --resume needs it (npm run bench -- imports; node -e 0: 85 ms)
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
    revision = await (session.revision ?? runRevision(session.repoDir, options, ctx.signal, session.facts));
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
