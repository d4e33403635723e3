// What `run` and `watch` set up before their first run (SPEC §2, §7): deploy.yaml
// loaded and checked, the pipeline and revision flags checked, the renderer,
// the step runner, preflight, and the run's journal.

import { makeAsk, noTerminalError } from '../actions/confirm.js';
import { appRoot, askFirstPush, pipelineApp, realRunner } from '../actions/step-runner.js';
import { loadConfig } from '../config/load.js';
import { pipelineOrFail } from '../config/lookup.js';
import { GitFacts } from '../git/facts.js';
import type { EventSink } from '../engine/events.js';
import type { RunRevision, StepRunner } from '../engine/step-types.js';
import { journalSink } from '../journal/journal.js';
import type { DeployConfig, PipelineConfig } from '../model/config.js';
import { usageError } from '../model/errors.js';
import { checkRevisionFlags } from '../model/names.js';
import { createRenderer } from '../render/renderer.js';
import { type OutputOption, type Renderer, resolveOutputMode } from '../render/types.js';
import { backendOptions, type CliContext } from './context.js';

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
  /** The revision to run, when openSession was given `revision`: asked of git while preflight runs. */
  revision?: Promise<RunRevision>;
  /** What git was asked before the first step, for whatever else asks the same. */
  facts: GitFacts;
}

export interface SessionExtras {
  /** Work out the revision to run in `repoDir`, started alongside preflight (its failure surfaces after preflight's). */
  revision?: (repoDir: string, facts: GitFacts) => Promise<RunRevision>;
  /** The run pushes HEAD (no --rev, --uname or --resume): a push as its first step takes HEAD and the clean check from `facts`. */
  pushesHead?: boolean;
}

export async function openSession(ctx: CliContext, options: RunCommandOptions, pipelineKey: string | undefined, extras: SessionExtras = {}): Promise<Session> {
  if (options.json) throw usageError('run and watch print no result map to turn into JSON', { hint: 'for events as JSON lines use --output jsonl' });
  // SPEC §14: a wrong profile, region or bucket fails in preflight, in about a second, before any push.
  // Its module loads while deploy.yaml is read, so that its checks start as soon as the config is known.
  // lazy: preflight costs 6.0 ms; --no-preflight does not need it (npm run bench -- imports; node -e 0: 85 ms)
  const preflight = options.preflight === false ? undefined : import('../actions/preflight/preflight.js');
  preflight?.catch(() => undefined);
  const config = await loadConfig({ config: ctx.global.config, cwd: ctx.cwd, resolveSymbols: true, warn: ctx.log });
  const pipeline = pipelineOrFail(config, pipelineKey ?? '');
  checkRevisionFlags(options);
  // Refuse before anything is pushed rather than at the confirm step, half-way through.
  const confirm = pipeline.steps.find((s) => s.kind === 'confirm');
  if (confirm && !options.yes && !ctx.stdin.isTTY) throw noTerminalError(confirm.question);

  // git is asked now what the run will ask before its first step (the revision, preflight's
  // repository and hook checks, a first push's HEAD and clean check), all at once and while
  // the modules of the steps load, each question once (src/git/facts.ts).
  const repoDir = appRoot(config, pipelineApp(config, pipeline));
  const facts = new GitFacts(ctx.signal);
  const revision = extras.revision?.(repoDir, facts);
  revision?.catch(() => undefined);
  if (extras.pushesHead) askFirstPush(config, pipeline, facts);
  // Awaited here, not chained: a module whose import is only chained is evaluated after
  // the step modules the runner starts loading below, and its checks would start late.
  const checked = preflight && (await preflight).runPreflight(config, pipeline, backendOptions(ctx), facts);
  checked?.catch(() => undefined);
  const ask = makeAsk({ yes: Boolean(options.yes), stdin: ctx.stdin });
  const gate = options.overrideGate !== undefined ? { overrideGate: options.overrideGate } : {};
  const headFacts = extras.pushesHead ? { headFacts: facts } : {};
  const runner = realRunner({ config, pipeline, ask, env: ctx.env, backend: backendOptions(ctx), ...gate, ...headFacts });
  const mode = resolveOutputMode(options.output, ctx.stderr as { isTTY?: boolean }, ctx.env);
  const renderer = await createRenderer(mode, { pipeline, stdout: ctx.stdout, stderr: ctx.stderr, env: ctx.env });
  if (preflight && checked) (await preflight).enforcePreflight(await checked, (line) => renderer.note(line));
  const journal = journalSink(config.dir, (line) => renderer.note(line));
  const emit: EventSink = (e) => {
    journal(e);
    renderer.event(e);
  };
  return { config, pipeline, renderer, runner, repoDir, emit, facts, ...(revision ? { revision } : {}) };
}
