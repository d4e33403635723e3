// Small builders for engine tests: pipelines without YAML, a fake step runner
// that records what it was asked and when, and an event collector.

import type { PipelineConfig, StepConfig } from '../../src/model/config.js';
import type { EngineEvent } from '../../src/engine/events.js';
import type { StepInput, StepOutcome, StepRunner } from '../../src/engine/step-types.js';

type Spec =
  | { push: string; id?: string; needs?: string[] }
  | { deploy: string; id?: string; needs?: string[] }
  | { wait: string; id?: string; needs?: string[]; timeoutMs?: number }
  | { run: string | string[]; id?: string; needs?: string[] }
  | { confirm: string; id?: string; needs?: string[] };

/** Resolve ids and needs the way the config stage does (previous step by default). */
export function pipeline(key: string, specs: Spec[]): PipelineConfig {
  const steps: StepConfig[] = [];
  let runN = 0;
  let confirmN = 0;
  specs.forEach((spec, i) => {
    const prev = i > 0 ? [steps[i - 1]!.id] : [];
    const needs = spec.needs ?? prev;
    if ('push' in spec) steps.push({ kind: 'push', app: spec.push, id: spec.id ?? `push-${spec.push}`, needs });
    else if ('deploy' in spec) steps.push({ kind: 'deploy', group: spec.deploy, id: spec.id ?? `deploy-${spec.deploy}`, needs });
    else if ('wait' in spec)
      steps.push({ kind: 'wait', group: spec.wait, id: spec.id ?? `wait-${spec.wait}`, needs, for: 'SUCCEEDED', timeoutMs: spec.timeoutMs ?? 60_000 });
    else if ('run' in spec) steps.push({ kind: 'run', command: spec.run, env: {}, id: spec.id ?? `run-${++runN}`, needs });
    else steps.push({ kind: 'confirm', question: spec.confirm, id: spec.id ?? `confirm-${++confirmN}`, needs });
  });
  return { key, steps };
}

export interface FakeCall {
  step: string;
  startedAt: number;
  endedAt?: number;
  input: StepInput;
}

export type Behaviour = (step: StepConfig, input: StepInput) => Promise<StepOutcome>;

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        const err = new Error('aborted');
        err.name = 'AbortError';
        reject(err);
      },
      { once: true },
    );
  });

/** A runner whose steps succeed after `ms` unless `behaviours` says otherwise. */
export function fakeRunner(behaviours: Record<string, Behaviour> = {}, ms = 20): { runner: StepRunner; calls: FakeCall[] } {
  const calls: FakeCall[] = [];
  const runner: StepRunner = async (step, input) => {
    const call: FakeCall = { step: step.id, startedAt: Date.now(), input };
    calls.push(call);
    try {
      const own = behaviours[step.id];
      if (own) return await own(step, input);
      await sleep(ms);
      if (step.kind === 'push') return { detail: 'pushed', pushed: { app: step.app, revision: { rev: 'a'.repeat(40) } } };
      if (step.kind === 'deploy') return { detail: 'deployed', deployment: { group: step.group, id: { deploymentId: `d-${step.group}` } } };
      return { detail: 'done' };
    } finally {
      call.endedAt = Date.now();
    }
  };
  return { runner, calls };
}

export function collect(): { events: EngineEvent[]; emit: (e: EngineEvent) => void; types(): string[] } {
  const events: EngineEvent[] = [];
  return {
    events,
    emit: (e) => events.push(e),
    types: () => events.filter((e) => e.type !== 'step-progress').map((e) => ('step' in e ? `${e.type}:${e.step}` : e.type)),
  };
}

/** The event order of a push → deploy → wait pipeline run one step after the other. */
export const SEQUENTIAL_DEV = [
  'run-start',
  'step-start:push-shop',
  'step-end:push-shop',
  'step-start:deploy-dev',
  'step-end:deploy-dev',
  'step-start:wait-dev',
  'step-end:wait-dev',
  'run-end',
];
