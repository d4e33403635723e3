// What `ionflow plan` shows: each step of a pipeline in topological order,
// what it needs — the same effective needs the engine honours, including the
// implied push-before-deploy order — and whether it would run. Pure: whether
// a push or deploy is up to date (or would be refused) is asked of an
// injected check, so the back ends (and their I/O) stay outside this module.

import type { PipelineConfig, StepConfig } from '../model/config.js';
import { effectiveNeeds } from './needs.js';
import { buildGraph } from './graph.js';
import { topologicalOrder } from '../config/needs-order.js';

/** `blocked`: the step would fail before doing anything (e.g. a dirty tree); `not run`: something it needs is blocked. */
export type StepState = 'run' | 'skipped (up to date)' | 'unknown' | 'blocked' | 'not run';

export interface PlannedStep {
  id: string;
  kind: StepConfig['kind'];
  target: string;
  /** What the step waits for in a run: its declared needs plus the order the revision flow implies. */
  needs: string[];
  state: StepState;
  /** Why a step is blocked or not run; for a run, the only part it would do (`register`). */
  reason?: string;
}

/** A step that would be refused before doing anything, and why (the run's error message). */
export interface Blocked {
  blocked: string;
}

/** A step that would run only part of its work, and which (e.g. `register`: uploaded, never registered). */
export interface RunsOnly {
  run: string;
}

/**
 * Whether a step is up to date: true (would be skipped), false (would run),
 * undefined (cannot tell, e.g. no back end answers yet), or blocked (a run
 * would stop there). With `force`, only a push is asked, for blocked.
 */
export type UpToDateCheck = (step: StepConfig) => Promise<boolean | undefined | Blocked | RunsOnly>;

/** The default check: run/confirm/wait always run; push/deploy are unknown until a back end is asked. */
export const unknownUpToDate: UpToDateCheck = async (step) => (step.kind === 'push' || step.kind === 'deploy' ? undefined : false);

export function stepTarget(step: StepConfig): string {
  switch (step.kind) {
    case 'push':
      return step.app;
    case 'deploy':
    case 'wait':
      return step.group;
    case 'run':
      return Array.isArray(step.command) ? step.command.join(' ') : step.command;
    case 'confirm':
      return step.question;
  }
}

export async function planPipeline(
  pipeline: PipelineConfig,
  options: { force?: boolean; upToDate?: UpToDateCheck; appOfGroup?: (group: string) => string | undefined } = {},
): Promise<PlannedStep[]> {
  const graph = buildGraph(pipeline);
  const needs = effectiveNeeds(pipeline.steps, options.appOfGroup ?? (() => undefined));
  const order = topologicalOrder(pipeline.steps.map((s) => ({ id: s.id, needs: needs.get(s.id) ?? [] })));
  const check = options.upToDate ?? unknownUpToDate;
  const planned = await Promise.all(
    order.map(async (id): Promise<PlannedStep> => {
      const step = graph.steps.get(id)!;
      const base = { id, kind: step.kind, target: stepTarget(step), needs: needs.get(id) ?? [] };
      // --force redoes up-to-date steps, but a push is still refused by a dirty tree.
      if (step.kind === 'push' || (step.kind === 'deploy' && !options.force)) {
        const answer = await check(step);
        if (typeof answer === 'object' && 'blocked' in answer) return { ...base, state: 'blocked', reason: answer.blocked };
        if (options.force) return { ...base, state: 'run' };
        if (typeof answer === 'object') return { ...base, state: 'run', reason: answer.run };
        return { ...base, state: answer === undefined ? 'unknown' : answer ? 'skipped (up to date)' : 'run' };
      }
      return { ...base, state: 'run' };
    }),
  );
  // As in a run: a step that needs a blocked (or not-run) step does not start. Topological order decides each once.
  const byId = new Map(planned.map((p) => [p.id, p]));
  for (const p of planned) {
    const blocker = p.needs.find((n) => byId.get(n)?.state === 'blocked' || byId.get(n)?.state === 'not run');
    if (blocker && p.state !== 'blocked') Object.assign(p, { state: 'not run', reason: `needs ${blocker}, which would not succeed` });
  }
  return planned;
}
