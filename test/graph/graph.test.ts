// The task graph (pure): topological order, cycles with their path, dependants.

import { describe, expect, it } from 'vitest';
import type { PipelineConfig, StepConfig } from '../../src/model/config.js';
import { IonflowError } from '../../src/model/errors.js';
import { buildGraph } from '../../src/graph/graph.js';
import { findCycle, topologicalOrder } from '../../src/config/needs-order.js';
import { planPipeline } from '../../src/graph/plan.js';

const run = (id: string, needs: string[]): StepConfig => ({ kind: 'run', id, needs, command: 'true', env: {} });
const pipeline = (steps: StepConfig[]): PipelineConfig => ({ key: 'p', steps });

describe('topologicalOrder', () => {
  it('puts every step after what it needs, keeping written order among ready steps', () => {
    const nodes = [
      { id: 'wait', needs: ['deploy'] },
      { id: 'notify', needs: [] },
      { id: 'deploy', needs: ['push'] },
      { id: 'push', needs: ['test'] },
      { id: 'test', needs: [] },
    ];
    expect(topologicalOrder(nodes)).toEqual(['notify', 'test', 'push', 'deploy', 'wait']);
  });

  it('refuses a cycle, naming its path', () => {
    expect(() =>
      topologicalOrder([
        { id: 'a', needs: ['b'] },
        { id: 'b', needs: ['a'] },
      ]),
    ).toThrow('a -> b -> a');
  });
});

describe('findCycle', () => {
  it('returns the path of a cycle that ends where it starts', () => {
    const nodes = [
      { id: 'x', needs: [] },
      { id: 'a', needs: ['x', 'c'] },
      { id: 'b', needs: ['a'] },
      { id: 'c', needs: ['b'] },
    ];
    expect(findCycle(nodes)).toEqual(['a', 'c', 'b', 'a']);
  });

  it('finds a step that needs itself', () => {
    expect(findCycle([{ id: 'a', needs: ['a'] }])).toEqual(['a', 'a']);
  });

  it('returns undefined for a diamond', () => {
    const nodes = [
      { id: 'a', needs: [] },
      { id: 'b', needs: ['a'] },
      { id: 'c', needs: ['a'] },
      { id: 'd', needs: ['b', 'c'] },
    ];
    expect(findCycle(nodes)).toBeUndefined();
  });
});

describe('buildGraph', () => {
  it('maps ids to steps, orders them and answers dependants', () => {
    const g = buildGraph(pipeline([run('a', []), run('b', ['a']), run('c', ['a']), run('d', ['b', 'c'])]));
    expect(g.order).toEqual(['a', 'b', 'c', 'd']);
    expect(g.steps.get('c')?.needs).toEqual(['a']);
    expect(g.dependants('a')).toEqual(['b', 'c']);
    expect(g.dependants('d')).toEqual([]);
  });

  it.each([
    ['duplicate ids', [run('a', []), run('a', [])], "duplicate step id 'a'"],
    ['unknown needs', [run('a', ['zz'])], "step 'a' needs unknown step 'zz'"],
    ['cycles', [run('a', ['b']), run('b', ['a'])], 'a -> b -> a'],
  ])('refuses %s as a usage error', (_name, steps, message) => {
    const build = () => buildGraph(pipeline(steps));
    expect(build).toThrow(IonflowError);
    expect(build).toThrow(message);
  });
});

describe('planPipeline', () => {
  const steps: StepConfig[] = [
    { kind: 'push', id: 'push-shop', app: 'shop', needs: [] },
    { kind: 'deploy', id: 'deploy-dev', group: 'dev', needs: ['push-shop'] },
    { kind: 'wait', id: 'wait-dev', group: 'dev', for: 'SUCCEEDED', timeoutMs: 1000, needs: ['deploy-dev'] },
    { kind: 'confirm', id: 'confirm-1', question: 'ok?', needs: [] },
  ];

  it('reads push and deploy as unknown without a back end', async () => {
    const plan = await planPipeline(pipeline(steps));
    expect(plan.map((s) => [s.id, s.target, s.state])).toEqual([
      ['push-shop', 'shop', 'unknown'],
      ['deploy-dev', 'dev', 'unknown'],
      ['wait-dev', 'dev', 'run'],
      ['confirm-1', 'ok?', 'run'],
    ]);
  });

  it('asks the injected check, and --force runs everything', async () => {
    const upToDate = async (s: StepConfig) => s.kind === 'push';
    const plan = await planPipeline(pipeline(steps), { upToDate });
    expect(plan.map((s) => s.state)).toEqual(['skipped (up to date)', 'run', 'run', 'run']);
    const forced = await planPipeline(pipeline(steps), { upToDate, force: true });
    expect(forced.every((s) => s.state === 'run')).toBe(true);
  });
});
