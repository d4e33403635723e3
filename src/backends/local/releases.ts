// The release folders of a local group and its `current` link:
// `<dir>/releases/<name>/` and `<dir>/current -> releases/<name>` (relative,
// so the group folder can move); a redeploy of the current revision lives in
// `releases/<name>.<deployment-id>/`, so the running folder is never replaced.
// `current` is only ever replaced by renaming a new link over it, so a reader
// sees the old release or the new, never none.

import { mkdir, readdir, readlink, rename, rm, stat, symlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { IonflowError } from '../../model/errors.js';
import { orIfMissing } from '../../fs/or-if-missing.js';
import type { UnpackGuard } from './unpack-guards.js';
import { unzipRelease } from './unzip.js';

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export const releasesDir = (dir: string) => join(dir, 'releases');

export function releaseDir(dir: string, name: string): string {
  if (!SAFE_NAME.test(name)) {
    throw new IonflowError('usage', `revision name ${JSON.stringify(name)} cannot name a release folder`, {
      hint: 'use letters, digits, ".", "_" and "-" in a uname',
    });
  }
  return join(releasesDir(dir), name);
}

/** The release `current` points at, or undefined before the first successful deployment. */
export async function readCurrent(dir: string): Promise<string | undefined> {
  const target = await orIfMissing(readlink(join(dir, 'current')), undefined);
  return target === undefined ? undefined : basename(target);
}

export async function switchCurrent(dir: string, name: string): Promise<void> {
  const tmp = join(dir, `.current.tmp-${process.pid}`);
  await rm(tmp, { force: true });
  await symlink(join('releases', name), tmp);
  await rename(tmp, join(dir, 'current'));
}

const scratch = (dir: string, what: string, name: string) => join(releasesDir(dir), `.${what}-${name}-${process.pid}-${Date.now().toString(36)}`);

/**
 * Unpack the zip beside the releases, in a hidden folder, and check it whole
 * (entries, links, sizes, free space, sha256 against the metadata): all that
 * can refuse a revision happens here, before anything is stopped (SPEC §17).
 * Returns the folder for placeRelease; on refusal nothing is left.
 */
export async function stageRelease(dir: string, name: string, zipPath: string, options: { guard: UnpackGuard; signal?: AbortSignal }): Promise<string> {
  releaseDir(dir, name);
  await mkdir(releasesDir(dir), { recursive: true });
  const incoming = scratch(dir, 'incoming', name);
  await unzipRelease(zipPath, incoming, { ...options, name: options.guard.expect?.name ?? name });
  return incoming;
}

/**
 * Move a staged release to `releases/<name>`. The caller never names the
 * current release (a redeploy of it gets a sibling folder, see
 * group-install.ts); a leftover folder of that name from an earlier
 * deployment is replaced.
 */
export async function placeRelease(dir: string, name: string, staged: string): Promise<string> {
  const dest = releaseDir(dir, name);
  const old = scratch(dir, 'old', name);
  await orIfMissing(rename(dest, old), undefined);
  await rename(staged, dest);
  await rm(old, { recursive: true, force: true });
  return dest;
}

/** Keep `keep` releases: the current one and the newest others; drop leftovers of dead deployers. */
export async function pruneReleases(dir: string, keep: number, current: string | undefined): Promise<string[]> {
  const names = await orIfMissing(readdir(releasesDir(dir)), []);
  const removed: string[] = [];
  const others: { name: string; mtime: number }[] = [];
  for (const name of names) {
    const path = join(releasesDir(dir), name);
    if (name.startsWith('.')) {
      // Only the lock holder unpacks, so a scratch folder now is a crashed deployer's.
      await rm(path, { recursive: true, force: true });
      continue;
    }
    if (name === current) continue;
    others.push({ name, mtime: (await stat(path)).mtimeMs });
  }
  others.sort((a, b) => b.mtime - a.mtime);
  const room = Math.max(0, keep - (current ? 1 : 0));
  for (const { name } of others.slice(room)) {
    await rm(join(releasesDir(dir), name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
