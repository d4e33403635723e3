// Pipelines → the task graph `plan` shows (SPEC §3 "Steps and the graph").
// Pure: no I/O. The loader has already rejected duplicate ids, unknown needs
// and cycles with positions; buildGraph refuses them again for a
// PipelineConfig made by hand. The engine does not build this graph: it
// schedules from effectiveNeeds (./needs.ts), where a step whose needs can
// never be met ends as not run.

import { IonflowError } from '../model/errors.js';
import { topologicalOrder } from '../config/needs-order.js';
import type { PipelineConfig, StepConfig } from '../model/config.js';

export interface TaskGraph {
  steps: Map<string, StepConfig>;
  /** Step ids in a topological order; ties keep the order the steps are written in. */
  order: string[];
  /** Steps that list `id` in their needs, in written order. */
  dependants(id: string): string[];
}

export function buildGraph(pipeline: PipelineConfig): TaskGraph {
  const steps = new Map<string, StepConfig>();
  for (const step of pipeline.steps) {
    if (steps.has(step.id)) throw new IonflowError('usage', `pipeline '${pipeline.key}': duplicate step id '${step.id}'`);
    steps.set(step.id, step);
  }
  for (const step of pipeline.steps) {
    for (const need of step.needs) {
      if (!steps.has(need)) {
        throw new IonflowError('usage', `pipeline '${pipeline.key}': step '${step.id}' needs unknown step '${need}'`);
      }
    }
  }
  const order = topologicalOrder(pipeline.steps);
  const dependantsOf = new Map<string, string[]>(pipeline.steps.map((s) => [s.id, []]));
  for (const step of pipeline.steps) for (const need of step.needs) dependantsOf.get(need)!.push(step.id);
  return { steps, order, dependants: (id) => [...(dependantsOf.get(id) ?? [])] };
}
