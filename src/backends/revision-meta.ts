// The metadata both stores keep with a revision (SPEC §5), from what was put
// and what the digest saw on the way in.

import type { DigestStream } from './digest.js';
import type { PutRevisionInput, RevisionStore, StoredLookup } from './types.js';
import { type RevisionMeta, type RevisionName, revisionName } from '../model/revision.js';

/** Call once the body has been read whole: the file count may only be known then. */
export async function revisionMeta(input: PutRevisionInput, digest: DigestStream, location: string): Promise<RevisionMeta> {
  return {
    name: revisionName(input.name),
    ...(input.name.rev ? { rev: input.name.rev } : { uname: input.name.uname }),
    appName: input.appName,
    sha256: digest.sha256(),
    size: digest.bytes,
    fileCount: (await input.fileCount) ?? 0,
    pushedAt: new Date().toISOString(),
    tree: input.tree,
    entryPoints: input.entryPoints,
    location,
  };
}

/**
 * Whether a stored revision needs no registering: the one predicate push and
 * plan both use (metadata without the field, from older pushes, counts as registered).
 */
export const isRegistered = (meta: RevisionMeta): boolean => meta.registered !== false;

/**
 * Whether pushing this name again must unregister its older revision before
 * the new zip replaces the old one. A uname's content changes from push to
 * push, so its old metadata would describe the wrong zip. A commit's zip is
 * the same tree at every push (SPEC §5): its metadata stays true and stays,
 * so a failed --force keeps it deployable, and a run deploying it while
 * another process pushes the same commit still finds it.
 */
export const unregistersBeforeReplacing = (name: RevisionName): boolean => name.rev === undefined;

/** A lookup that asks holds() once get() has answered: for stores where each is a cheap local read. */
export function lookupInTurn(store: RevisionStore, appName: string, name: string, signal?: AbortSignal): StoredLookup {
  const meta = store.get(appName, name);
  const intact = meta.then((found) => (found ? store.holds(found, signal) : false));
  meta.catch(() => undefined);
  intact.catch(() => undefined);
  return { meta, intact };
}
