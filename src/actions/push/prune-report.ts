// The push's side of `keep-revisions` (SPEC §5): prune once the push is done
// and say what went, so nothing is deleted silently. A failure to prune never
// fails the push that worked; it is reported and everything is kept.

import { join } from 'node:path';
import type { RevisionStore } from '../../backends/types.js';
import type { DeployConfig } from '../../model/config.js';

export async function pruneAfterPush(config: DeployConfig, appKey: string, store: RevisionStore, say: (message: string) => void): Promise<void> {
  const app = config.apps[appKey]!;
  if (app.store.kind !== 'local' || app.store.keepRevisions === undefined || store.kind !== 'local') return;
  const keep = app.store.keepRevisions;
  // lazy: prune costs 58 ms (the release and unzip code of local groups); only keep-revisions needs it (npm run bench -- imports; node -e 0: 123 ms)
  const [all, { pruneStore }] = await Promise.all([store.list(app.name), import('./prune.js')]);
  try {
    const { pruned, kept } = await pruneStore(config, appKey, join(app.store.dir, app.name), all, keep);
    if (pruned.length === 0 && kept.length === 0) return;
    const gone = pruned.length > 0 ? ` (${pruned.join(', ')})` : '';
    const held = kept.length > 0 ? `; kept ${kept.length} older one(s) still deployed or wanted for rollback (${kept.join(', ')})` : '';
    say(`keep-revisions ${keep}: pruned ${pruned.length} older revision(s) of ${app.name}${gone}${held}`);
  } catch (err) {
    say(`keep-revisions ${keep}: pruning of ${app.name} stopped, the rest kept: ${(err as Error).message}`);
  }
}
