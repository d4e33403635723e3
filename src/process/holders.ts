// Who still holds a command's output after the command exited: a background
// process it started (`sleep 20 &`, `java … &`) inherits the stdout/stderr
// pipe, and the command's output does not end until that process closes it.
// Linux tells us through /proc: the command's stdout/stderr (socket or pipe
// inodes, read from /proc/<pid>/fd right after the spawn) are found again in
// the holder's fd table. A command that exits at once may be gone before its
// fds can be read: then the holders are the members of its session (it is a
// session leader, spawned detached) whose stdout or stderr is a socket or pipe.
// Elsewhere the holders are unknown (empty lists) and callers say so without
// a pid.
//
// Also here: whether a process group still has live members. kill(-pgid, 0)
// counts zombies, and where PID 1 does not reap orphans (containers) a killed
// group's zombies would look alive forever.

import { readlinkSync } from 'node:fs';
import { readdir, readFile, readlink } from 'node:fs/promises';

export interface Holder {
  pid: number;
  /** Its command line, as `ps -o args` would show it (cut at 200 characters). */
  command: string;
}

/**
 * What a just-spawned command's stdout and stderr are (`socket:[inode]`,
 * `pipe:[inode]`). Synchronous, right after spawn(): the child has exec'd but
 * cannot have been reaped yet, so its fd table is there to read.
 */
export function outputsOf(pid: number | undefined): Set<string> {
  const outputs = new Set<string>();
  if (pid === undefined) return outputs;
  for (const fd of [1, 2]) {
    try {
      outputs.add(readlinkSync(`/proc/${pid}/fd/${fd}`));
    } catch {
      // no /proc, or the command is already gone
    }
  }
  return outputs;
}

async function pids(): Promise<string[]> {
  return (await readdir('/proc').catch(() => [] as string[])).filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid);
}

/** A live (not zombie) process's process group and session, from /proc/<pid>/stat. */
async function groupOf(pid: string): Promise<{ pgrp: string; session: string } | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // `pid (comm) state ppid pgrp session …`; comm may hold spaces and parentheses.
  const [state, , pgrp, session] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return !stat || state === 'Z' || state === 'X' ? undefined : { pgrp: pgrp!, session: session! };
}

/** Whether any process of group `pgid` is alive (zombies do not count). */
export async function groupAlive(pgid: number): Promise<boolean> {
  try {
    process.kill(-pgid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const all = await pids();
  if (all.length === 0) return true; // no /proc: kill's answer is all there is
  const groups = await Promise.all(all.map(groupOf));
  return groups.some((g) => g?.pgrp === String(pgid));
}

async function holds(pid: string, outputs: Set<string>): Promise<boolean> {
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
  for (const fd of fds) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    if (outputs.has(target)) return true;
  }
  return false;
}

/** A member of session `sid` whose stdout or stderr is a socket or a pipe. */
async function holdsInSession(pid: string, sid: number): Promise<boolean> {
  if ((await groupOf(pid))?.session !== String(sid)) return false;
  for (const fd of [1, 2]) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    if (target.startsWith('socket:') || target.startsWith('pipe:')) return true;
  }
  return false;
}

async function commandOf(pid: string): Promise<string> {
  const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  const command = raw.split('\0').filter(Boolean).join(' ');
  return command.length > 200 ? `${command.slice(0, 199)}…` : command || '?';
}

/** The processes (other than this one) that have one of `outputs` open; when those are unknown, guessed from session `sid`. */
export async function findHolders(outputs: Set<string>, sid: number | undefined): Promise<Holder[]> {
  if (outputs.size === 0 && sid === undefined) return [];
  const all = await pids();
  const test = (pid: string) => (outputs.size > 0 ? holds(pid, outputs) : holdsInSession(pid, sid!));
  const found = await Promise.all(all.map(async (pid) => ((await test(pid)) ? pid : undefined)));
  const holders: Holder[] = [];
  for (const pid of found) if (pid !== undefined) holders.push({ pid: Number(pid), command: await commandOf(pid) });
  return holders;
}
