// The dependencies the engine honours: each step's resolved `needs`, plus the
// order the revision flow implies (SPEC §3). A deploy uses "the revision this
// run pushed for the group's app", so it must not start before that push;
// a wait watches "the deployment started in this run", so it follows the
// group's deploys. Such an implied edge is only added when it cannot close a
// cycle (the push is not itself downstream of the deploy).

import type { StepConfig } from '../model/config.js';

function dependantsOf(steps: StepConfig[], needs: Map<string, string[]>): (id: string) => Set<string> {
  return (id) => {
    const seen = new Set<string>();
    const stack = [id];
    while (stack.length > 0) {
      const current = stack.pop()!;
      for (const s of steps) {
        if (!seen.has(s.id) && (needs.get(s.id) ?? []).includes(current)) {
          seen.add(s.id);
          stack.push(s.id);
        }
      }
    }
    return seen;
  };
}

export function effectiveNeeds(steps: StepConfig[], appOfGroup: (group: string) => string | undefined): Map<string, string[]> {
  const needs = new Map(steps.map((s) => [s.id, [...s.needs]]));
  const implied = (step: StepConfig, before: StepConfig[]) => {
    const downstream = dependantsOf(steps, needs)(step.id);
    const own = needs.get(step.id)!;
    for (const b of before) if (!own.includes(b.id) && !downstream.has(b.id)) own.push(b.id);
  };
  for (const step of steps) {
    if (step.kind === 'deploy') {
      const app = appOfGroup(step.group);
      implied(
        step,
        steps.filter((s) => s.kind === 'push' && app !== undefined && s.app === app),
      );
    } else if (step.kind === 'wait') {
      implied(
        step,
        steps.filter((s) => s.kind === 'deploy' && s.group === step.group),
      );
    }
  }
  return needs;
}
