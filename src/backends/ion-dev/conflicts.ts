// `:dependency-conflicts` of an ion-dev push: the libs whose versions Datomic
// Cloud overrode, `{:deps {lib {:mvn/version "…"}} :doc "…"}`. A warning, or
// with `dependency-conflicts: fail` a failure for every lib not in
// `allow-conflicts` (SPEC §16).

import type { IonDevConfig } from '../../model/config.js';
import type { IonDevMap } from './result.js';

/** lib → the version Datomic Cloud uses, in ion-dev's order. */
export type Conflicts = Record<string, string>;

const obj = (v: unknown): IonDevMap | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as IonDevMap) : undefined);

/** A coordinate's version as a person reads it: Maven version, else git tag or sha, else the coordinate. */
function versionOf(coord: unknown): string {
  const c = obj(coord);
  if (!c) return typeof coord === 'string' ? coord : '?';
  for (const key of ['mvn/version', 'git/tag', 'git/sha', 'sha', 'local/root']) {
    const v = c[key];
    if (typeof v === 'string') return v;
  }
  return JSON.stringify(c);
}

export function conflictsOf(result: IonDevMap): Conflicts {
  const conflicts = obj(result['dependency-conflicts']);
  const deps = obj(conflicts?.deps) ?? {};
  const out: Conflicts = {};
  for (const [lib, coord] of Object.entries(deps)) out[lib] = versionOf(coord);
  return out;
}

/** The conflicts that fail the push under the app's policy (none with `warn`). */
export function failingConflicts(conflicts: Conflicts, cfg: Pick<IonDevConfig, 'dependencyConflicts' | 'allowConflicts'>): string[] {
  if (cfg.dependencyConflicts !== 'fail') return [];
  return Object.keys(conflicts).filter((lib) => !cfg.allowConflicts.includes(lib));
}

export const describeConflicts = (conflicts: Conflicts, libs = Object.keys(conflicts)): string => libs.map((lib) => `${lib} ${conflicts[lib]}`).join(', ');
