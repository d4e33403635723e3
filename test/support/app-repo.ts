// A temp git repository holding an app and a deploy.yaml with local back ends,
// for the end-to-end tests of `ionflow run` and `ionflow watch`.

import { existsSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineEvent } from '../../src/engine/events.js';
import { makeRepo, type TempRepo } from './repo.js';

/**
 * A deploy.yaml: app shop on a local store (`store` adds lines to its store),
 * local groups (by key, or key → lines after its folder), then `pipelines` as written.
 */
export function deployYaml(pipelines: string, groups: string[] | Record<string, string[]> = ['dev'], store: string[] = []): string {
  const entries = Array.isArray(groups) ? groups.map((k): [string, string[]] => [k, []]) : Object.entries(groups);
  const g = entries.map(([k, more]) => [`  ${k}:`, '    app: shop', `    local: .ionflow/groups/${k}`, ...more.map((l) => `    ${l}`), ''].join('\n')).join('');
  const s = store.map((l) => `      ${l}\n`).join('');
  return `version: 1\napps:\n  shop:\n    store:\n      local: .ionflow/store\n${s}groups:\n${g}${pipelines ? `pipelines:\n${pipelines}` : ''}`;
}

export const DEV = `  dev:
    description: Push HEAD and install it locally
    steps:
      - push: shop
      - deploy: dev
      - wait: dev
`;

export function appRepo(pipelines = DEV, groups = ['dev'], extra: Record<string, string> = {}): TempRepo {
  return makeRepo({
    'deploy.yaml': deployYaml(pipelines, groups),
    '.gitignore': '.ionflow/\n',
    'src/app.txt': 'hello\n',
    ...extra,
  });
}

/** The jsonl lines of stdout as events (throws on anything that is not JSON). */
export function events(stdout: string): EngineEvent[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as EngineEvent);
}

export const kinds = (evs: EngineEvent[]) => evs.map((e) => ('step' in e ? `${e.type}:${e.step}` : e.type));

/** The release a local group's `current` points at, or undefined. */
export function current(repo: TempRepo, group: string): string | undefined {
  const link = join(repo.dir, '.ionflow/groups', group, 'current');
  return existsSync(link) ? readlinkSync(link).split('/').pop() : undefined;
}
