// Names that become path segments or S3 keys (SPEC §17): app names (deploy.yaml
// `name`, ion-config.edn `:app-name`), unames and the keys of deploy.yaml.
// `name: ../../../elsewhere/x` made push write outside the store, and on S3
// into another bucket of s3rver; such names are refused where they are
// written, and the stores refuse them again before building a path or key.

import { usageError } from '../model/errors.js';
import type { Problem } from '../model/problem.js';
import { isRecord } from './steps.js';
import type { YamlSource } from './yaml-source.js';

const NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
/** Unames are file names: long ones are refused before the file system does it half-way. */
export const MAX_UNAME = 128;

export const NAME_RULE = "letters, digits, '.', '_' and '-', starting with a letter, digit or '_', with no '..'";

export const isSafeName = (name: string): boolean => NAME.test(name) && !name.includes('..');

/** A uname from the command line or an EDN op: exit 2 stating the rule. */
export function checkUname(uname: string | undefined, flag = '--uname'): void {
  if (uname === undefined) return;
  if (!isSafeName(uname) || uname.length > MAX_UNAME) {
    throw usageError(`${flag} ${JSON.stringify(uname)} is not a valid name: use ${NAME_RULE} (at most ${MAX_UNAME})`);
  }
}

/** The last check before a name becomes a path segment or an S3 key. */
export function assertSafeName(name: string, what: string): void {
  if (!isSafeName(name)) throw usageError(`${what} ${JSON.stringify(name)} is not a valid name: use ${NAME_RULE}`);
}

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
