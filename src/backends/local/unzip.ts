// Unpack a revision zip into a release folder, the way the CodeDeploy agent
// would, but refusing anything that could write outside the folder. Every
// entry is checked first (names, and the targets of symbolic links, which are
// the entries' data); only when all are safe is anything written, into a
// temporary folder that is renamed into place at the end.

import { chmod, mkdir, open, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { IonflowError, isAbortError } from '../../model/errors.js';
import { checkRoom, startVerify, type UnpackGuard, WriteBudget } from './unpack-guards.js';
import { linkProblems } from './zip-links.js';
import { openZip, type ZipSource } from './zip-source.js';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
/** Zip "version made by" host 3 = Unix: only then do external attributes carry a mode. */
const HOST_UNIX = 3;

export type ZipEntryKind = 'file' | 'dir' | 'symlink';

export interface CheckedEntry {
  /** Normalised relative path inside the release. */
  path: string;
  kind: ZipEntryKind;
  /** Permission bits (0o755 …), from the Unix external attributes, or a default. */
  mode: number;
  /** For symlinks: the link's target, as recorded. */
  target?: string;
  entry: Entry;
}

function openStream(zip: ZipFile, entry: Entry): Promise<Readable> {
  return new Promise((resolve, reject) => zip.openReadStream(entry, (err, stream) => (err ? reject(err) : resolve(stream))));
}

/** A small entry's content, read in the open callback: yauzl streams left paused a tick can stall. */
function readBytes(zip: ZipFile, entry: Entry): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    zip.openReadStream(entry, (err, stream) => {
      if (err) return reject(err);
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.once('error', reject);
      stream.once('end', () => resolve(Buffer.concat(chunks)));
    }),
  );
}

async function readEntries(zip: ZipFile): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: Entry[] = [];
    zip.on('entry', (entry: Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.once('end', () => resolve(entries));
    zip.once('error', reject);
    zip.readEntry();
  });
}

function entryName(entry: Entry): string {
  // decodeStrings is off so that yauzl does not stop at the first bad name:
  // we decode (UTF-8 flag or CP437) and check every name ourselves.
  return yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
}

function kindAndMode(entry: Entry, name: string): { kind: ZipEntryKind; mode: number } {
  const unix = entry.versionMadeBy >> 8 === HOST_UNIX;
  const attrs = unix ? (entry.externalFileAttributes >>> 16) & 0xffff : 0;
  const type = attrs & S_IFMT;
  if (type === S_IFLNK) return { kind: 'symlink', mode: 0o777 };
  if (type === S_IFDIR || name.endsWith('/')) return { kind: 'dir', mode: attrs & 0o777 || 0o755 };
  // Keep the owner's bits as recorded; a zip without Unix modes gets 0644.
  return { kind: 'file', mode: attrs & 0o777 || 0o644 };
}

/** Why a path inside the release would escape it, or undefined when it stays inside. */
function escapeReason(name: string): string | undefined {
  if (name.includes('\0')) return 'has a NUL byte';
  if (isAbsolute(name) || /^[a-zA-Z]:/.test(name) || name.startsWith('\\')) return 'is an absolute path';
  const normal = posix.normalize(name.replace(/\\/g, '/'));
  if (normal === '..' || normal.startsWith('../')) return 'escapes the release folder';
  if (name.replace(/\\/g, '/').split('/').includes('..')) return 'has a .. component';
  return undefined;
}

/** Far past any PATH_MAX, yet small enough to read: longer link targets are refused unread. */
const MAX_LINK_TARGET = 1024 * 1024;

/** Check every entry; throw one error naming all refused entries, before anything is written. */
export async function checkZip(file: string, source: string | ZipSource = file): Promise<CheckedEntry[]> {
  const zip = await openZip(source);
  try {
    const entries = await readEntries(zip);
    const checked: CheckedEntry[] = [];
    const problems: string[] = [];
    for (const entry of entries) {
      const name = entryName(entry);
      const reason = escapeReason(name);
      if (reason) {
        problems.push(`${JSON.stringify(name)} ${reason}`);
        continue;
      }
      const path = posix.normalize(name.replace(/\\/g, '/')).replace(/\/+$/, '');
      if (path === '.' || path === '') continue;
      const { kind, mode } = kindAndMode(entry, name);
      const item: CheckedEntry = { path, kind, mode, entry };
      if (kind === 'symlink') {
        // A target is read whole into memory: its size comes from the zip, so
        // it is checked first (the OS refuses targets past PATH_MAX anyway).
        if (entry.uncompressedSize > MAX_LINK_TARGET) {
          problems.push(`${JSON.stringify(path)} is a link whose target is ${entry.uncompressedSize} bytes long`);
          continue;
        }
        item.target = (await readBytes(zip, entry)).toString('utf8');
      }
      checked.push(item);
    }
    problems.push(...linkProblems(checked));
    if (problems.length > 0) {
      throw new IonflowError('stepFailed', `refused to unpack ${file}: ${problems.join('; ')}`, {
        hint: 'the revision zip holds entries that would write outside the release folder; nothing was written',
      });
    }
    return checked;
  } finally {
    zip.close();
  }
}

const WRITERS = 8;
const SMALL_FILE = 1024 * 1024;

/**
 * Folders first, then files (a few at a time: a revision is thousands of small
 * files), then links last, so that no file is ever written through a link.
 */
async function writeEntries(zip: ZipFile, entries: CheckedEntry[], root: string, budget: WriteBudget | undefined, signal?: AbortSignal): Promise<void> {
  const made = new Set<string>();
  const ensureDir = async (dir: string) => {
    if (made.has(dir)) return;
    await mkdir(dir, { recursive: true });
    made.add(dir);
  };
  const dirs = entries.filter((e) => e.kind === 'dir');
  for (const d of dirs) await ensureDir(join(root, d.path));
  const files = entries.filter((e) => e.kind === 'file');
  let next = 0;
  let failed = false;
  const writer = async () => {
    for (let e = files[next++]; e && !failed; e = files[next++]) {
      signal?.throwIfAborted();
      const dest = join(root, e.path);
      await ensureDir(dirname(dest));
      if (e.entry.uncompressedSize <= SMALL_FILE) {
        // Most files of a revision are small: one write beats a stream's machinery.
        const bytes = await readBytes(zip, e.entry);
        budget?.add(bytes.length);
        await writeFile(dest, bytes, { flag: 'wx', mode: e.mode });
      } else {
        const counted = async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            budget?.add(chunk.length);
            yield chunk;
          }
        };
        // With the signal: a Ctrl-C stops a file of gigabytes at the next chunk, not after it.
        // Opened before streaming, so no file appears after the caller has removed the folder.
        const file = await open(dest, 'wx', e.mode);
        try {
          await pipeline(await openStream(zip, e.entry), counted, file.createWriteStream(), signal ? { signal } : {});
        } finally {
          await file.close().catch(() => {});
        }
      }
      await chmod(dest, e.mode); // the umask may have trimmed the mode given at creation
    }
  };
  // Every writer has stopped before an error reaches the caller, who removes the folder.
  const results = await Promise.allSettled(
    Array.from({ length: Math.min(WRITERS, files.length) }, () =>
      writer().catch((err: unknown) => {
        failed = true;
        throw err;
      }),
    ),
  );
  const rejected = results.find((r) => r.status === 'rejected');
  if (rejected) throw rejected.reason;
  for (const e of entries) {
    if (e.kind !== 'symlink') continue;
    const dest = join(root, e.path);
    await ensureDir(dirname(dest));
    await symlink(e.target!, dest);
  }
  for (const d of dirs) await chmod(join(root, d.path), d.mode | 0o700);
}

/**
 * Why unpacking failed, as the user should hear it: a zip that is not what
 * its metadata says often fails to inflate first, and the mismatch is the
 * cause; an entry that inflates past its header's size is a zip that lies.
 */
async function causeOf(err: unknown, name: string, verifying: { verify(): Promise<void>; stop(): Promise<void> } | undefined): Promise<unknown> {
  // Our own refusals say what they mean; an interruption is only that.
  if (err instanceof IonflowError || isAbortError(err)) {
    await verifying?.stop();
    return err;
  }
  const mismatch = await verifying?.verify().then(
    () => undefined,
    (e: unknown) => e,
  );
  if (mismatch) return mismatch;
  const message = err instanceof Error ? err.message : String(err);
  if (/too many bytes in the stream/.test(message)) {
    return new IonflowError('stepFailed', `revision ${name} unpacks to more than its zip's headers say (${message}); nothing was installed`, {
      hint: 'the zip is damaged or crafted: push the revision again',
    });
  }
  return err;
}

/** What the zip says its files hold, from the central directory (links and folders are negligible). */
const declaredSize = (entries: CheckedEntry[]) => entries.reduce((sum, e) => sum + (e.kind === 'file' ? e.entry.uncompressedSize : 0), 0);

/**
 * Unpack `file` into `dest` (which must not exist): checked first (names,
 * links, sizes and free space), written into `<dest>.tmp-…` beside it while
 * its sha256 is computed, renamed into place only when that matches the
 * metadata. On refusal nothing is left.
 */
export async function unzipRelease(
  file: string,
  dest: string,
  options: { signal?: AbortSignal; guard?: UnpackGuard; name?: string } = {},
): Promise<{ files: number }> {
  const { signal, guard } = options;
  const name = options.name ?? basename(dest);
  const handle = await open(file, 'r');
  const source: ZipSource = { fd: handle.fd, size: (await handle.stat()).size };
  const tmp = `${dest}.tmp-${process.pid}-${Date.now().toString(36)}`;
  let zip: ZipFile | undefined;
  let verifying: Awaited<ReturnType<typeof startVerify>> | undefined;
  try {
    verifying = guard ? await startVerify(source, guard, signal) : undefined;
    const entries = await checkZip(file, source);
    if (guard) await checkRoom(declaredSize(entries), dirname(dest), name, guard);
    zip = await openZip(source);
    await mkdir(tmp, { recursive: true });
    await writeEntries(zip, entries, tmp, guard ? new WriteBudget(name, guard) : undefined, signal);
    await verifying?.verify();
    await rename(tmp, dest);
    return { files: entries.filter((e) => e.kind === 'file').length };
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw await causeOf(err, name, verifying);
  } finally {
    zip?.close();
    // No read may outlive the descriptor: its number could name another file next.
    await verifying?.stop();
    await handle.close();
  }
}
