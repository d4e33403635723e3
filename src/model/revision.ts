// A revision (SPEC §5): what a push stores and a deploy installs, named by a
// commit (`rev`) or a uname, with the metadata both stores keep beside the zip.

/** Entry points parsed from ion-config.edn, stored with each revision (SPEC §4). */
export interface EntryPoints {
  appName?: string;
  allow?: string[];
  lambdas?: Record<string, { fn: string; description?: string }>;
  httpDirect?: { handlerFn: string };
}

/** A revision by name: a pushed commit (`rev`) or an unreproducible push (`uname`). */
export type RevisionName = { rev: string; uname?: undefined } | { uname: string; rev?: undefined };

/** The 40-hex SHA or the uname: the revision's file name and key. */
export const revisionName = (name: RevisionName): string => name.rev ?? name.uname;

/** The name of a stored revision, or of a deployment of one: its commit, else its uname (then also its `name`). */
export const toRevisionName = (r: { name: string; rev?: string | undefined; uname?: string | undefined }): RevisionName =>
  r.rev ? { rev: r.rev } : { uname: r.uname ?? r.name };

/** A revision as messages show it: a uname whole, a commit by its first 7 hex digits, else its `name` ('?' without one). */
export function shortName(r: { rev?: string | undefined; uname?: string | undefined; name?: string | undefined } | undefined): string {
  if (r?.uname !== undefined) return r.uname;
  if (r?.rev !== undefined) return /^[0-9a-f]{40}$/.test(r.rev) ? r.rev.slice(0, 7) : r.rev;
  return r?.name ?? '?';
}

/** Metadata kept with each revision (SPEC §5). Serialised as `<name>.json`. */
export interface RevisionMeta {
  /** The 40-hex SHA or the uname. */
  name: string;
  rev?: string;
  uname?: string;
  appName: string;
  sha256: string;
  size: number;
  fileCount: number;
  pushedAt: string;
  /** git tree id of the archived content: same tree = same content (make-style skip). */
  tree: string;
  entryPoints: EntryPoints | null;
  /** A file path (local) or s3:// URL (aws). */
  location: string;
  /** aws only: what CodeDeploy was told. */
  s3?: { bucket: string; key: string; eTag: string; version?: string };
  /**
   * aws only: false from the upload until CodeDeploy registration succeeded,
   * then true. Absent (older pushes, local stores) counts as registered.
   */
  registered?: boolean;
}
