// ionflow's own folders inside an app (a local store, local groups) are never
// content: a push leaves them out of its archive and its clean-tree check, and
// plan applies the same rule to say whether a push would be refused.

import { relative } from 'node:path';
import type { AppConfig, DeployConfig } from '../../model/config.js';

/** Paths relative to the app root; folders outside the app need no excluding. */
export function ownFolders(config: DeployConfig, app: AppConfig): string[] {
  const dirs = [app.store.kind === 'local' ? app.store.dir : undefined];
  for (const g of Object.values(config.groups)) if (g.kind === 'local') dirs.push(g.dir);
  return dirs
    .filter((d): d is string => d !== undefined)
    .map((d) => relative(app.root, d))
    .filter((r) => r !== '' && !r.startsWith('..') && !r.startsWith('/'));
}
