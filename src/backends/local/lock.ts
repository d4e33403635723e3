// One deployment per local group at a time, across processes (SPEC §3): a
// proper-lockfile lock on the group folder. A second deployer WAITS, saying
// once on progress who holds the lock, until it is free or the signal aborts
// (Ctrl-C → interrupted). proper-lockfile refreshes the lock while held and
// treats a lock not refreshed for `stale` ms as abandoned (a crashed deployer),
// so a dead process never blocks a group for good.

import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import lockfile from 'proper-lockfile';
import { InterruptedError } from '../../errors.js';

const STALE_MS = 10_000;

export interface LockOptions {
  group: string;
  /** Who takes the lock, for the waiting message of others. */
  owner: string;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
  pollMs?: number;
}

const lockPath = (dir: string) => join(dir, '.deploy.lock');
const ownerPath = (dir: string) => join(dir, '.deploy.lock.owner');

/** Take the group's lock, waiting while another process holds it. Returns the release function. */
export async function acquireGroupLock(dir: string, options: LockOptions): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true });
  let told = false;
  for (;;) {
    if (options.signal?.aborted) throw new InterruptedError();
    try {
      const release = await lockfile.lock(dir, {
        lockfilePath: lockPath(dir),
        stale: STALE_MS,
        realpath: false,
        // A lock taken over as stale is not worth crashing the deployment for.
        onCompromised: () => {},
      });
      await writeFile(ownerPath(dir), options.owner);
      return async () => {
        await rm(ownerPath(dir), { force: true });
        await release().catch(() => {});
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
    }
    if (!told) {
      const holder = await readFile(ownerPath(dir), 'utf8').catch(() => 'another process');
      options.onProgress?.(`group ${options.group} is busy (${holder}); waiting for it to finish`);
      told = true;
    }
    await sleep(options.pollMs ?? 200, undefined, options.signal ? { signal: options.signal } : {}).catch(() => {});
  }
}

/** Whether some process holds the group's lock now (a RUNNING record without one was abandoned). */
export function isGroupLocked(dir: string): Promise<boolean> {
  return lockfile.check(dir, { lockfilePath: lockPath(dir), stale: STALE_MS, realpath: false }).catch(() => false);
}
