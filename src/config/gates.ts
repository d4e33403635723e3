// `promote-from` (SPEC §11): every named group exists, deploys the same app,
// is not the group itself, and the gates form no cycle (a cycle would let no
// revision ever in).

import { findCycle } from './needs-order.js';
import type { Problem } from '../model/problem.js';
import { isRecord } from './steps.js';
import type { PathSegment, YamlSource } from './yaml-source.js';

const sourcesOf = (gate: unknown): string[] =>
  typeof gate === 'string' ? [gate] : Array.isArray(gate) ? gate.filter((g): g is string => typeof g === 'string') : [];

export function gateProblems(src: YamlSource, groups: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  const nodes: { id: string; needs: string[] }[] = [];
  for (const [key, group] of Object.entries(groups)) {
    if (!isRecord(group) || group['promote-from'] === undefined) continue;
    const gate = group['promote-from'];
    const path = (i: number): PathSegment[] => (Array.isArray(gate) ? ['groups', key, 'promote-from', i] : ['groups', key, 'promote-from']);
    const needs: string[] = [];
    sourcesOf(gate).forEach((source, i) => {
      const other = groups[source];
      if (source === key) {
        problems.push(src.at(path(i), `group '${key}' cannot promote from itself`));
      } else if (!isRecord(other)) {
        const known = Object.keys(groups).filter((g) => g !== key);
        problems.push(
          src.at(path(i), `promote-from: unknown group '${source}' (${known.length ? `known groups: ${known.join(', ')}` : 'no other groups are defined'})`),
        );
      } else if (typeof other.app === 'string' && typeof group.app === 'string' && other.app !== group.app) {
        problems.push(src.at(path(i), `group '${key}' deploys app '${group.app}' but promotes from '${source}', which deploys app '${other.app}'`));
      } else needs.push(source);
    });
    nodes.push({ id: key, needs });
  }
  const cycle = findCycle(nodes);
  if (cycle) {
    problems.push(src.at(['groups', cycle[0]!, 'promote-from'], `the promotion gates form a cycle: ${cycle.join(' <- ')}; no revision could ever pass them`));
  }
  return problems;
}
