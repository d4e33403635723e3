// The order `needs` imposes on steps (SPEC §3): the cycle check validation
// reports with positions, and the topological order graph/ and plan build on.

import { IonflowError } from '../model/errors.js';

export interface GraphNode {
  id: string;
  needs: readonly string[];
}

/**
 * A cycle as a path that ends where it starts (`['a', 'b', 'a']`), or undefined.
 * Needs that name no node are ignored here (reported separately).
 */
export function findCycle(nodes: readonly GraphNode[]): string[] | undefined {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    const s = state.get(id);
    if (s === 'done') return undefined;
    if (s === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const need of byId.get(id)?.needs ?? []) {
      if (!byId.has(need)) continue;
      const cycle = visit(need);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const n of nodes) {
    const cycle = visit(n.id);
    if (cycle) return cycle;
  }
  return undefined;
}

/** Kahn's algorithm, choosing the earliest-written ready step each time (stable, readable plans). */
export function topologicalOrder(nodes: readonly GraphNode[]): string[] {
  const cycle = findCycle(nodes);
  if (cycle) throw new IonflowError('usage', `the steps form a cycle: ${cycle.join(' -> ')}`);
  const ids = new Set(nodes.map((n) => n.id));
  const remaining = new Map(nodes.map((n) => [n.id, new Set(n.needs.filter((d) => ids.has(d)))]));
  const order: string[] = [];
  while (remaining.size > 0) {
    const next = nodes.find((n) => remaining.get(n.id)?.size === 0);
    if (!next) break; // unreachable: no cycle
    remaining.delete(next.id);
    order.push(next.id);
    for (const deps of remaining.values()) deps.delete(next.id);
  }
  return order;
}
