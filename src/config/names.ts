// deploy.yaml's names checked where they are written (SPEC §17), with positions;
// the rule itself is model/names.ts, shared with ion-config.edn and the stores.

import { isSafeName, NAME_RULE } from '../model/names.js';
import type { Problem } from '../model/problem.js';
import { isRecord } from './steps.js';
import type { YamlSource } from './yaml-source.js';

const SECTIONS = ['profiles', 'apps', 'groups', 'pipelines'] as const;

/** deploy.yaml's names: keys with '..' (the schema checks the rest of a key), app names, s3 prefixes. */
export function nameProblems(src: YamlSource): Problem[] {
  const root = src.value;
  if (!isRecord(root)) return [];
  const problems: Problem[] = [];
  for (const section of SECTIONS) {
    const entries = root[section];
    if (!isRecord(entries)) continue;
    for (const key of Object.keys(entries)) {
      if (key.includes('..')) problems.push(src.at([section, key], `'${key}' is not a valid name: use ${NAME_RULE}`, { key: true }));
    }
  }
  const apps = isRecord(root.apps) ? root.apps : {};
  for (const [key, app] of Object.entries(apps)) {
    if (!isRecord(app)) continue;
    if (typeof app.name === 'string' && app.name !== '' && !isSafeName(app.name)) {
      problems.push(src.at(['apps', key, 'name'], `app name ${JSON.stringify(app.name)} is not a valid name: use ${NAME_RULE}`));
    }
    const s3 = isRecord(app.store) && isRecord(app.store.s3) ? app.store.s3 : undefined;
    const prefix = s3?.prefix;
    // Each folder of the prefix obeys the same rule: 'a/../../' would leave the prefix.
    if (typeof prefix === 'string' && prefix !== '' && !prefix.split('/').slice(0, -1).every(isSafeName)) {
      problems.push(src.at(['apps', key, 'store', 's3', 'prefix'], `prefix ${JSON.stringify(prefix)} must be folder names separated by '/': ${NAME_RULE}`));
    }
  }
  return problems;
}
