// Which app a bare `ionflow push` (or `{:op :push}`) means (SPEC §2): --app
// (a key or an app-name); else the only app; else the app whose root holds the
// current folder, the nearest one when roots are nested, as deploy.yaml itself
// is found from the nearest folder. Several apps with that same root (one
// app-name pushed to two stores), or none, is ambiguous: --app, with the list.

import { isAbsolute, relative } from 'node:path';
import { unknownNameMessage } from '../../text/did-you-mean.js';
import type { DeployConfig } from '../../model/config.js';
import { usageError } from '../../model/errors.js';

/** How far `dir` is below `root` (0: the same folder), or undefined when it is not inside. */
function depthBelow(root: string, dir: string): number | undefined {
  const rel = relative(root, dir);
  if (rel === '') return 0;
  if (rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return rel.split(/[\\/]/).length;
}

export function chooseApp(config: DeployConfig, wanted: string | undefined, cwd: string): string {
  const keys = Object.keys(config.apps);
  if (wanted !== undefined) {
    if (config.apps[wanted]) return wanted;
    const byName = keys.find((k) => config.apps[k]!.name === wanted);
    if (byName) return byName;
    throw usageError(unknownNameMessage('app', wanted, keys));
  }
  if (keys.length === 1) return keys[0]!;
  if (keys.length === 0) throw usageError(`${config.file} declares no apps`);
  const holding = keys
    .map((key) => ({ key, depth: depthBelow(config.apps[key]!.root, cwd) }))
    .filter((a): a is { key: string; depth: number } => a.depth !== undefined);
  const nearest = Math.min(...holding.map((a) => a.depth));
  const chosen = holding.filter((a) => a.depth === nearest);
  if (chosen.length === 1) return chosen[0]!.key;
  const listed = (chosen.length > 1 ? chosen.map((a) => a.key) : keys)
    .map((k) => `${k} (root ${relative(config.dir, config.apps[k]!.root) || '.'})`)
    .join(', ');
  const why = chosen.length > 1 ? 'several apps have this folder as their root' : 'this folder is inside no app root';
  throw usageError(`deploy.yaml has several apps and ${why}: ${listed}`, { hint: 'choose one with --app <name>' });
}
