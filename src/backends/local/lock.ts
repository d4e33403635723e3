// One deployment per local group at a time, across processes (SPEC §3): a
// proper-lockfile lock on the group folder. A second deployer WAITS, saying
// once on progress who holds the lock, until it is free or the signal aborts
// (Ctrl-C → interrupted). proper-lockfile refreshes the lock while held and
// treats a lock not refreshed for `stale` ms as abandoned (a crashed deployer),
// so a dead process never blocks a group for good.

import { mkdir, readFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import lockfile from 'proper-lockfile';
import { InterruptedError } from '../../model/errors.js';
import { isAlive, writeFileAtomic } from '../../fs/atomic-write.js';

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
  let unknownPolls = 0;
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
      // Written whole or not at all: a waiter must never read it half written.
      await writeFileAtomic(ownerPath(dir), options.owner);
      return async () => {
        await rm(ownerPath(dir), { force: true });
        await release().catch(() => {});
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
    }
    if (!told) {
      // The holder writes its owner file just after taking the lock: give it
      // a few polls, so the message can say who holds the group.
      const holder = (await readFile(ownerPath(dir), 'utf8').catch(() => '')) || undefined;
      if (holder !== undefined || ++unknownPolls > 5) {
        options.onProgress?.(`group ${options.group} is busy (${holder ?? 'another process'}); waiting for it to finish`);
        told = true;
      }
    }
    await sleep(options.pollMs ?? 200, undefined, options.signal ? { signal: options.signal } : {}).catch(() => {});
  }
}

/**
 * Whether some process holds the group's lock now (a RUNNING record without
 * one was abandoned). A holder killed with -9 leaves its lock fresh for up to
 * STALE_MS; when the owner file names a pid on this machine that no longer
 * exists, the lock is already dead.
 */
export async function isGroupLocked(dir: string): Promise<boolean> {
  const held = await lockfile.check(dir, { lockfilePath: lockPath(dir), stale: STALE_MS, realpath: false }).catch(() => false);
  if (!held) return false;
  const owner = await readFile(ownerPath(dir), 'utf8').catch(() => '');
  const [, pid, host] = /^pid (\d+) on (\S+) /.exec(owner) ?? [];
  if (!pid || host !== hostname()) return true;
  return isAlive(Number(pid));
}
