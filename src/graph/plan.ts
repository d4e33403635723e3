// What `ionflow plan` shows: each step of a pipeline in topological order,
// what it needs, and whether it would run. Pure: whether a push or deploy is
// up to date is asked of an injected check, so the back ends (and their I/O)
// stay outside this module.

import type { PipelineConfig, StepConfig } from '../config/types.js';
import { buildGraph } from './graph.js';

export type StepState = 'run' | 'skipped (up to date)' | 'unknown';

export interface PlannedStep {
  id: string;
  kind: StepConfig['kind'];
  target: string;
  needs: string[];
  state: StepState;
}

/**
 * Whether a step is up to date: true (would be skipped), false (would run),
 * undefined (cannot tell, e.g. no back end answers yet).
 */
export type UpToDateCheck = (step: StepConfig) => Promise<boolean | undefined>;

/** The default check: run/confirm/wait always run; push/deploy are unknown until a back end is asked. */
export const unknownUpToDate: UpToDateCheck = async (step) =>
  step.kind === 'push' || step.kind === 'deploy' ? undefined : false;

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
  options: { force?: boolean; upToDate?: UpToDateCheck } = {},
): Promise<PlannedStep[]> {
  const graph = buildGraph(pipeline);
  const check = options.upToDate ?? unknownUpToDate;
  return Promise.all(
    graph.order.map(async (id): Promise<PlannedStep> => {
      const step = graph.steps.get(id)!;
      let state: StepState = 'run';
      if (!options.force && (step.kind === 'push' || step.kind === 'deploy')) {
        const upToDate = await check(step);
        state = upToDate === undefined ? 'unknown' : upToDate ? 'skipped (up to date)' : 'run';
      }
      return { id, kind: step.kind, target: stepTarget(step), needs: [...step.needs], state };
    }),
  );
}
