// A hook script is run, and made executable, only as a file of its release:
// never through a symbolic link (SPEC §17), which could make ionflow chmod
// and run whatever the link points at.

import { lstat } from 'node:fs/promises';
import { join, sep } from 'node:path';

/** The first component of `rel` under `dir` that is a link, or undefined (missing parts end the walk). */
export async function linkOnPath(dir: string, rel: string): Promise<string | undefined> {
  let at = dir;
  const parts = rel.split(sep);
  for (let i = 0; i < parts.length; i++) {
    at = join(at, parts[i]!);
    const info = await lstat(at).catch(() => undefined);
    if (!info) return undefined;
    if (info.isSymbolicLink()) return parts.slice(0, i + 1).join('/');
  }
  return undefined;
}
