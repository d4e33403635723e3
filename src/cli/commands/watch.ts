// `ionflow watch <pipeline>` (SPEC §7): run the pipeline for HEAD now, then for
// each new commit, until SIGINT/SIGTERM (exit 130). Each run names its commit,
// so the commit is pushed as it is in git, whatever the work tree holds.

import { runPipeline } from '../../engine/engine.js';
import { commitOrRefuse } from '../../git/git.js';
import { usageError } from '../../model/errors.js';
import { watchCommitFiles } from '../../watch/commit-watcher.js';
import { commitSubject, gitDirs, readHead } from '../../watch/git-dirs.js';
import { type OnNewCommit, watchLoop } from '../../watch/watch-loop.js';
import type { CliContext } from '../context.js';
import { openSession, type RunCommandOptions } from '../session.js';

export interface WatchCommandOptions extends RunCommandOptions {
  debounce?: number;
  onNewCommit?: OnNewCommit;
}

export default async function watch(ctx: CliContext, options: WatchCommandOptions, pipelineKey?: string): Promise<number> {
  if (options.rev !== undefined || options.uname !== undefined) {
    throw usageError('watch runs each new commit of HEAD: --rev and --uname apply to `ionflow run` only');
  }
  const session = await openSession(ctx, options, pipelineKey);
  const { renderer, repoDir } = session;
  const dirs = await gitDirs(repoDir, ctx.signal);
  commitOrRefuse((await session.facts.locate(repoDir)).head);

  renderer.note(`watching ${repoDir} for new commits (pipeline ${session.pipeline.key}, on new commit: ${options.onNewCommit ?? 'queue'})`);
  await watchLoop({
    debounceMs: options.debounce ?? 200,
    onNewCommit: options.onNewCommit ?? 'queue',
    signal: ctx.signal,
    readHead: () => readHead(repoDir),
    subject: (sha) => commitSubject(repoDir, sha),
    subscribe: (onChange) => watchCommitFiles(dirs, onChange),
    emit: (event) => renderer.event(event),
    note: (line) => renderer.note(line),
    runFor: async (sha, signal, stop) => {
      await runPipeline({
        pipeline: session.pipeline,
        config: session.config,
        runner: session.runner,
        revision: { rev: sha, named: true },
        emit: session.emit,
        force: Boolean(options.force),
        concurrency: options.concurrency ?? 4,
        signal,
        stop,
      });
      await renderer.settled();
    },
  });
  await renderer.settled();
  renderer.note('watch stopped');
  return 130;
}
