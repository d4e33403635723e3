// The identity of each written step before validation is complete: its kind,
// target, id (default `<kind>-<target>`, `run-1`/`confirm-1` … by position
// among steps of that kind) and resolved needs. Shared by the checks and the
// normaliser so both agree on every id.

import type { StepKind } from '../model/config.js';

export const STEP_KINDS: readonly StepKind[] = ['push', 'deploy', 'wait', 'run', 'confirm'];

export interface RawStep {
  index: number;
  kind: StepKind | undefined;
  /** The app (push) or group (deploy, wait); undefined for run/confirm. */
  target: string | undefined;
  id: string;
  explicitId: boolean;
  /** Explicit `needs`, else the previous step's id, else []. */
  needs: string[];
  explicitNeeds: boolean;
  raw: Record<string, unknown>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function targetOf(kind: StepKind | undefined, raw: Record<string, unknown>): string | undefined {
  if (kind === 'push' || kind === 'deploy') return typeof raw[kind] === 'string' ? raw[kind] : undefined;
  if (kind === 'wait') {
    const w = raw.wait;
    if (typeof w === 'string') return w;
    if (isRecord(w) && typeof w.group === 'string') return w.group;
  }
  return undefined;
}

export function rawSteps(steps: unknown): RawStep[] {
  if (!Array.isArray(steps)) return [];
  const counters = new Map<StepKind, number>();
  const out: RawStep[] = [];
  steps.forEach((item, index) => {
    const raw = isRecord(item) ? item : {};
    const kind = STEP_KINDS.find((k) => k in raw);
    const target = targetOf(kind, raw);
    let defaultId: string;
    if (kind === 'run' || kind === 'confirm') {
      const n = (counters.get(kind) ?? 0) + 1;
      counters.set(kind, n);
      defaultId = `${kind}-${n}`;
    } else {
      defaultId = `${kind ?? 'step'}-${target ?? index + 1}`;
    }
    const explicitId = typeof raw.id === 'string';
    const id = explicitId ? (raw.id as string) : defaultId;
    const explicitNeeds = Array.isArray(raw.needs);
    const previous = out[out.length - 1];
    const needs = explicitNeeds ? (raw.needs as unknown[]).filter((n): n is string => typeof n === 'string') : previous ? [previous.id] : [];
    out.push({ index, kind, target, id, explicitId, needs, explicitNeeds, raw });
  });
  return out;
}

export { isRecord };
