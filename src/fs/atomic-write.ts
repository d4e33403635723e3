// Files that readers must never see half-written: write a temporary file in
// the same folder (same file system), then rename it over the target.

import { randomBytes } from 'node:crypto';
import { readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A temporary name beside `path`, hidden and unique to this writer. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

export async function writeFileAtomic(path: string, data: string | Buffer): Promise<void> {
  const temp = tempPathFor(path);
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/** Whether process `pid` is alive on this host (EPERM: alive, but not ours to signal). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const TEMP = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/**
 * Remove the temporary files in `folder` of writers that died (a push killed
 * with -9 leaves a zip's worth): those whose pid no longer runs on this host.
 * A store folder is written from one host, as its temp names carry no host.
 */
export async function removeDeadTemps(folder: string): Promise<string[]> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const dead = names.filter((name) => {
    const pid = Number(TEMP.exec(name)?.[1] ?? 0);
    return pid > 0 && !isAlive(pid);
  });
  await Promise.all(dead.map((name) => rm(join(folder, name), { force: true })));
  return dead;
}
