// The metadata both stores keep with a revision (SPEC §5), from what was put
// and what the digest saw on the way in.

import type { DigestStream } from './digest.js';
import type { PutRevisionInput, RevisionMeta } from './types.js';

export const revisionName = (input: PutRevisionInput): string => input.name.rev ?? input.name.uname;

export function revisionMeta(input: PutRevisionInput, digest: DigestStream, location: string): RevisionMeta {
  return {
    name: revisionName(input),
    ...(input.name.rev ? { rev: input.name.rev } : { uname: input.name.uname }),
    appName: input.appName,
    sha256: digest.sha256(),
    size: digest.bytes,
    fileCount: input.fileCount ?? 0,
    pushedAt: new Date().toISOString(),
    tree: input.tree,
    entryPoints: input.entryPoints,
    location,
  };
}
