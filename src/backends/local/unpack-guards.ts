// What a revision may unpack to, and whether it is the revision its metadata
// describes (SPEC §17). The zip's own sizes are checked before anything is
// written, against groups.<g>.max-unpacked-size and the free space of the
// group's file system; the bytes actually written are counted too, since a
// zip's headers can lie. The zip's sha256 is computed while it is unpacked,
// and a mismatch leaves nothing installed.

import { createHash } from 'node:crypto';
import { statfs } from 'node:fs/promises';
import { IonflowError } from '../../model/errors.js';
import { readWhole, type ZipSource } from './zip-source.js';

export interface UnpackGuard {
  /** groups.<g>.max-unpacked-size, in bytes. */
  maxBytes: number;
  /** The group key, for messages. */
  group: string;
  /** What the store's metadata says of the zip. */
  expect?: { name: string; sha256: string; size: number };
}

const MiB = 1024 * 1024;

/** 8 GiB, 64 MiB, 512 B: sizes as a user writes them. */
export function formatSize(bytes: number): string {
  for (const [unit, size] of [
    ['TiB', MiB * MiB],
    ['GiB', 1024 * MiB],
    ['MiB', MiB],
    ['KiB', 1024],
  ] as const) {
    if (bytes >= size) return `${Math.round((bytes / size) * 10) / 10} ${unit}`;
  }
  return `${bytes} B`;
}

const refused = (message: string, hint: string) => new IonflowError('stepFailed', message, { hint });

/** Before anything is written: what the zip says it unpacks to, against the limit and the free space. */
export async function checkRoom(declared: number, dir: string, name: string, guard: UnpackGuard): Promise<void> {
  if (declared > guard.maxBytes) {
    throw refused(
      `revision ${name} unpacks to ${formatSize(declared)} (${declared} bytes), over groups.${guard.group}.max-unpacked-size (${formatSize(guard.maxBytes)})`,
      `raise groups.${guard.group}.max-unpacked-size in deploy.yaml if the revision is meant to be this large`,
    );
  }
  const fs = await statfs(dir);
  const free = fs.bavail * fs.bsize;
  if (declared > free) {
    throw refused(
      `revision ${name} unpacks to ${formatSize(declared)}, but the file system of ${dir} has only ${formatSize(free)} free`,
      'free some space (old releases, logs), or lower keep-releases',
    );
  }
}

/** Counts the bytes written; past the limit (headers that lied) the unpacking stops. */
export class WriteBudget {
  private written = 0;
  constructor(
    private readonly name: string,
    private readonly guard: UnpackGuard,
  ) {}

  add(bytes: number): void {
    this.written += bytes;
    if (this.written > this.guard.maxBytes) {
      throw refused(
        `revision ${this.name} wrote more than groups.${this.guard.group}.max-unpacked-size (${formatSize(this.guard.maxBytes)}) although its zip said less; unpacking stopped`,
        'the zip lies about its sizes: push the revision again',
      );
    }
  }
}

const mismatch = (name: string, what: string) =>
  new IonflowError('stepFailed', `revision ${name} in the store does not match its metadata (${what}); push it again with --force`);

/**
 * Start hashing the zip alongside the unpacking, through the same open file:
 * one sequential read that shares the page cache with the unpacker's, not a
 * pass before it. The size is compared at once; `verify` waits for the hash,
 * `stop` ends the read and waits until it has.
 */
export async function startVerify(source: ZipSource, guard: UnpackGuard, signal?: AbortSignal): Promise<{ verify(): Promise<void>; stop(): Promise<void> }> {
  const expect = guard.expect;
  if (!expect) return { verify: async () => {}, stop: async () => {} };
  if (source.size !== expect.size) throw mismatch(expect.name, `size ${source.size} bytes, metadata says ${expect.size}`);
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  const hash = createHash('sha256');
  const hashing = (async () => {
    for await (const chunk of readWhole(source, { highWaterMark: MiB, signal: controller.signal })) hash.update(chunk as Buffer);
  })().finally(() => signal?.removeEventListener('abort', onAbort));
  hashing.catch(() => {}); // awaited by verify(); stopped runs end here
  return {
    async verify() {
      await hashing;
      const actual = hash.digest('hex');
      if (actual !== expect.sha256) throw mismatch(expect.name, `sha256 ${actual}, metadata says ${expect.sha256}`);
    },
    async stop() {
      controller.abort();
      await hashing.catch(() => {});
    },
  };
}
