// The checks of ion-dev apps and groups (SPEC §16) that the schema cannot
// express: an app has a store or ion-dev, never both; the ion-dev-only app
// keys; a group deploys through ion-dev exactly when its app is an ion-dev
// app; profile references and durations.

import { parseDuration } from './duration.js';
import type { Problem } from '../model/problem.js';
import { isRecord } from './steps.js';
import type { YamlSource } from './yaml-source.js';

export const isIonDevApp = (apps: Record<string, unknown>, key: unknown): boolean =>
  typeof key === 'string' && isRecord(apps[key]) && isRecord((apps[key] as Record<string, unknown>)['ion-dev']);

const ION_DEV_ONLY = ['dependency-conflicts', 'allow-conflicts'] as const;

export function ionDevProblems(src: YamlSource, apps: Record<string, unknown>, groups: Record<string, unknown>, profiles: string[]): Problem[] {
  const problems: Problem[] = [];
  const at = (path: (string | number)[], message: string, key = false) => problems.push(src.at(path, message, { key }));

  for (const [key, app] of Object.entries(apps)) {
    if (!isRecord(app)) continue;
    const ionDev = app['ion-dev'];
    if (!isRecord(ionDev)) {
      for (const k of ION_DEV_ONLY) if (k in app) at(['apps', key, k], `'${k}' is only used by an ion-dev app (one with 'ion-dev:')`, true);
      continue;
    }
    if ('store' in app) {
      at(['apps', key, 'ion-dev'], `app '${key}' has both 'store' and 'ion-dev'; ion-dev keeps the revisions of an ion-dev app: remove 'store'`, true);
    }
    const profile = ionDev.profile;
    if (typeof profile === 'string' && !profiles.includes(profile)) {
      const known = profiles.length ? `known profiles: ${profiles.join(', ')}` : 'no profiles are defined';
      at(['apps', key, 'ion-dev', 'profile'], `unknown profile '${profile}' (${known})`);
    }
    const timeouts = isRecord(ionDev.timeouts) ? ionDev.timeouts : {};
    for (const [op, value] of Object.entries(timeouts)) {
      if (typeof value === 'string' && /^[0-9]+(s|m|h)$/.test(value) && parseDuration(value) === undefined) {
        at(['apps', key, 'ion-dev', 'timeouts', op], `'${op}' must be longer than 0 (e.g. 90s, 15m, 1h)`);
      }
    }
  }

  for (const [key, group] of Object.entries(groups)) {
    if (!isRecord(group) || typeof group.app !== 'string' || !isRecord(apps[group.app])) continue;
    const ionDevGroup = isRecord(group['ion-dev']);
    const ionDevApp = isIonDevApp(apps, group.app);
    if (ionDevGroup && !ionDevApp) {
      at(
        ['groups', key, 'ion-dev'],
        `group '${key}' deploys through ion-dev, but app '${group.app}' is not an ion-dev app; give the app 'ion-dev:' instead of a store`,
        true,
      );
    }
    if (!ionDevGroup && ionDevApp) {
      const kind = 'aws' in group ? 'aws' : 'local';
      at(
        ['groups', key, kind],
        `app '${group.app}' is an ion-dev app, which only ion-dev groups can deploy; write 'ion-dev: { group: <compute group> }' instead of '${kind}'`,
        true,
      );
    }
  }
  return problems;
}
