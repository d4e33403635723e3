// A tar stream (what `git archive --format=tar` writes) turned into a zip with
// the entries, order and headers `git archive --format=zip` would give. The
// point is speed: git deflates on one thread, here every file is deflated on
// libuv's thread pool, several at once, while the entries are still written in
// tar order (src/zip/zip-writer.ts). Memory stays bounded: files above
// `streamAbove` are deflated as a stream (with a data descriptor, as git does
// for big files), and no more than `budget` bytes of content are held at once.

import type { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { extract, type Headers } from '../lazy/tar-stream.js';
import { DeflatePool } from './deflate-pool.js';
import { looksIncompressible } from './entropy.js';
import { type EntryInfo, isText } from './records.js';
import { type Encoded, OrderedZipWriter, type Sink } from './zip-writer.js';

// zlib level 4, not git's default 6. On the bench repos (source-like text
// plus random-looking assets) level 4 deflates the text in half the CPU time,
// and the whole zip comes out 2% larger than at level 6 (1.5% larger than
// git's own zip). A push is CPU-bound wherever the link to the store is fast
// (CI next to S3, a local store); where the link is slow, deflating overlaps
// the upload and the 2% shows instead.
const LEVEL = 4;

export interface TarToZipOptions {
  /** The archive comment: the commit id, as git writes it. */
  comment: string;
  /** Content larger than this is deflated as a stream instead of in one piece (default 4 MiB). */
  streamAbove?: number;
  /** At most this many bytes of content held for deflating at once (default 8 MiB). */
  budget?: number;
  /** Files over `above` bytes whose content may have to come from another tar (see src/git/big-files.ts). */
  reread?: { above: number; tar(name: Buffer): Promise<OtherTar | undefined> };
}

/** A tar holding a file again, and the process writing it. */
export interface OtherTar {
  tar: Readable;
  done: Promise<void>;
  kill(): void;
}

/** What went into the zip. */
export interface ZipSummary {
  /** Files and symbolic links (what `git ls-files` would list, less export-ignored paths). */
  files: number;
}

/** A file's content, read into one buffer of the size the tar header gives. */
async function readAll(stream: Readable, size: number): Promise<Buffer> {
  const content = Buffer.allocUnsafe(size);
  let at = 0;
  for await (const chunk of stream) {
    const c = chunk as Buffer;
    if (at + c.length > size) throw new Error('a tar entry is longer than its header says');
    c.copy(content, at);
    at += c.length;
  }
  if (at !== size) throw new Error('a tar entry is shorter than its header says');
  return content;
}

/**
 * A path as the bytes git stored. Names in the tar header itself are read as
 * latin1 (one char a byte) so any bytes survive; long names come from pax
 * records, which tar-stream decodes as UTF-8.
 */
function pathBytes(value: string, fromPax: boolean): Buffer {
  if (fromPax && value.includes('\uFFFD')) {
    throw new Error(`cannot put ${JSON.stringify(value)} in a zip: a path over 100 bytes must be valid UTF-8`);
  }
  return Buffer.from(value, fromPax ? 'utf8' : 'latin1');
}

/** tar-stream sets `pax` on a header that came with pax records (its types leave it out). */
type TarHeader = Headers & { pax?: Record<string, string> };

function baseInfo(h: TarHeader, kind: EntryInfo['kind']): EntryInfo {
  const name = kind === 'directory' && !h.name.endsWith('/') ? `${h.name}/` : h.name;
  return {
    name: pathBytes(name, h.pax?.path !== undefined),
    kind,
    executable: kind === 'file' && ((h.mode ?? 0) & 0o111) !== 0,
    mtime: Math.floor((h.mtime?.getTime() ?? 0) / 1000),
    method: 0,
    crc: 0,
    size: 0,
    compressedSize: 0,
    text: true,
    streamed: false,
  };
}

/** A file or link held in memory: deflated (on the thread pool) unless that does not make it smaller. */
async function encodeWhole(pool: DeflatePool, info: EntryInfo, content: Buffer): Promise<Encoded> {
  info.size = content.length;
  info.crc = crc32(content);
  info.text = isText(content);
  if (info.kind === 'file' && content.length > 0 && !looksIncompressible(content)) {
    const packed = await pool.deflate(content);
    const packedSize = packed.reduce((n, p) => n + p.length, 0);
    if (packedSize < content.length) {
      info.method = 8;
      info.compressedSize = packedSize;
      return { info, data: packed };
    }
  }
  info.compressedSize = content.length;
  return { info, data: [content] };
}

/** The file `name` out of `other`, handed to `add` as a stream of its size; the rest of `other` is drained. */
async function fromOtherTar(other: OtherTar, name: Buffer, add: (content: Readable, size: number) => Promise<void>): Promise<void> {
  const reader = extract({ filenameEncoding: 'latin1' });
  other.tar.on('error', (err) => reader.destroy(err));
  other.tar.pipe(reader as unknown as NodeJS.WritableStream);
  let found = false;
  try {
    for await (const entry of reader) {
      const h: TarHeader = entry.header;
      if (!found && h.type === 'file' && pathBytes(h.name, h.pax?.path !== undefined).equals(name)) {
        found = true;
        await add(entry, h.size ?? 0);
      } else entry.resume();
    }
    await other.done;
  } catch (err) {
    other.kill();
    throw err;
  } finally {
    reader.destroy();
  }
  if (!found) throw new Error(`git archive did not give ${name.toString('utf8')} again`);
}

/**
 * Convert the tar read from `tar` into a zip written to `sink`. Rejects on
 * malformed input or a sink that fails; the sink then holds a truncated zip,
 * which the caller must discard.
 */
export async function tarToZip(tar: Readable, sink: Sink, options: TarToZipOptions): Promise<ZipSummary> {
  const streamAbove = options.streamAbove ?? 4 * 1024 * 1024;
  const budget = Math.max(options.budget ?? 8 * 1024 * 1024, streamAbove);
  const zip = new OrderedZipWriter(sink, LEVEL);
  let files = 0;
  const pool = new DeflatePool(LEVEL);
  const reader = extract({ filenameEncoding: 'latin1' });
  tar.on('error', (err) => reader.destroy(err));
  tar.pipe(reader as unknown as NodeJS.WritableStream);
  const addFile = async (info: EntryInfo, content: Readable, size: number) => {
    if (size > streamAbove) await zip.addStreamed(info, content, size);
    else {
      // Wait until this file fits in the budget before reading it in.
      await zip.room(budget - size);
      zip.add(encodeWhole(pool, info, await readAll(content, size)), size);
    }
  };
  try {
    for await (const entry of reader) {
      const h: TarHeader = entry.header;
      switch (h.type) {
        case 'directory':
          zip.add(Promise.resolve({ info: baseInfo(h, 'directory'), data: [] }), 0);
          entry.resume();
          break;
        case 'symlink': {
          files += 1;
          const target = pathBytes(h.linkname ?? '', h.pax?.linkpath !== undefined);
          zip.add(encodeWhole(pool, baseInfo(h, 'symlink'), target), 0);
          entry.resume();
          break;
        }
        case 'file': {
          files += 1;
          const size = h.size ?? 0;
          const info = baseInfo(h, 'file');
          const other = options.reread && size > options.reread.above ? await options.reread.tar(info.name) : undefined;
          if (other) {
            entry.resume();
            await fromOtherTar(other, info.name, (content, otherSize) => addFile(info, content, otherSize));
          } else await addFile(info, entry, size);
          break;
        }
        default:
          throw new Error(`unexpected ${h.type} entry ${h.name} in the tar from git`);
      }
    }
    await zip.finish(options.comment);
    return { files };
  } finally {
    pool.close();
    reader.destroy();
  }
}
