// A tar stream (what `git archive --format=tar` writes) turned into a zip with
// the entries, order and headers `git archive --format=zip` would give. The
// point is speed: git deflates on one thread, here every file over 4 KiB is
// deflated on libuv's thread pool, several at once (smaller ones right away,
// see SMALL), while the entries are still written in tar order
// (src/zip/zip-writer.ts). Memory stays bounded: files above
// `streamAbove` are deflated as a stream (with a data descriptor, as git does
// for big files), and no more than `budget` bytes of content are held at once.

import type { Readable } from 'node:stream';
import { crc32, deflateRawSync } from 'node:zlib';
import { DeflatePool } from './deflate-pool.js';
import { looksIncompressible } from './entropy.js';
import { type EntryInfo, isText } from './records.js';
import { type TarEntry, TarReader } from './tar-reader.js';
import { type Encoded, OrderedZipWriter, type Sink } from './zip-writer.js';

// zlib level 4, not git's default 6. On the bench repos (source-like text
// plus random-looking assets) level 4 deflates the text in half the CPU time,
// and the whole zip comes out 2% larger than at level 6 (1.5% larger than
// git's own zip). A push is CPU-bound wherever the link to the store is fast
// (CI next to S3, a local store); where the link is slow, deflating overlaps
// the upload and the 2% shows instead.
const LEVEL = 4;
// Files up to this size are deflated right here, each from a fresh zlib state
// with a window and hash sized to the file (4 KiB window, memLevel 6: ~50 KiB
// of state, against ~270 KiB at the defaults). For a 2 KiB file that costs
// less CPU than a trip to the thread pool (issue 18).
const SMALL = 4096;
const SMALL_OPTIONS = { level: LEVEL, windowBits: 12, memLevel: 6 };

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

/**
 * A path as the bytes git stored. Names in the tar header itself are taken as
 * they are; long names come from pax records, which must be UTF-8.
 */
function pathBytes(value: Buffer, fromPax: boolean): Buffer {
  if (!fromPax) return value;
  const text = value.toString('utf8');
  if (text.includes('\uFFFD')) {
    throw new Error(`cannot put ${JSON.stringify(text)} in a zip: a path over 100 bytes must be valid UTF-8`);
  }
  return Buffer.from(text, 'utf8');
}

const SLASH = 47;

function baseInfo(h: TarEntry, kind: EntryInfo['kind']): EntryInfo {
  const name = pathBytes(h.name, h.paxPath);
  return {
    name: kind === 'directory' && name.at(-1) !== SLASH ? Buffer.concat([name, Buffer.from('/')]) : name,
    kind,
    executable: kind === 'file' && (h.mode & 0o111) !== 0,
    mtime: h.mtime,
    method: 0,
    crc: 0,
    size: 0,
    compressedSize: 0,
    text: true,
    streamed: false,
  };
}

/** The entry for `content`, deflated, or stored when deflating does not make it smaller. */
function packed(info: EntryInfo, content: Buffer, deflated: Buffer[]): Encoded {
  const packedSize = deflated.reduce((n, p) => n + p.length, 0);
  if (packedSize < content.length) {
    info.method = 8;
    info.compressedSize = packedSize;
    return { info, data: deflated };
  }
  info.compressedSize = content.length;
  return { info, data: [content] };
}

/**
 * A file or link held in memory, deflated unless that does not make it
 * smaller: a small file right away (so the zip writer can take it without a
 * promise), a larger one on the thread pool.
 */
function encodeWhole(pool: DeflatePool, info: EntryInfo, content: Buffer): Encoded | Promise<Encoded> {
  info.size = content.length;
  info.crc = crc32(content);
  info.text = isText(content);
  if (info.kind === 'file' && content.length > 0 && !looksIncompressible(content)) {
    // chunkSize: the output buffer sized to the file, not zlib's 16 KiB default, which every file
    // allocated afresh (5,000 small files: 80 MiB of buffers for 3 MiB of output, and the GCs they caused).
    if (content.length <= SMALL) return packed(info, content, [deflateRawSync(content, { ...SMALL_OPTIONS, chunkSize: content.length + 64 })]);
    return pool.deflate(content).then((deflated) => packed(info, content, deflated));
  }
  info.compressedSize = content.length;
  return { info, data: [content] };
}

/** The file `name` out of `other`, handed to `add` as a stream of its size; the rest of `other` is drained. */
async function fromOtherTar(other: OtherTar, name: Buffer, add: (reader: TarReader, size: number) => Promise<void>): Promise<void> {
  const reader = new TarReader(other.tar[Symbol.asyncIterator]());
  let found = false;
  try {
    for (let h = await reader.next(); h; h = await reader.next()) {
      if (!found && h.type === 'file' && pathBytes(h.name, h.paxPath).equals(name)) {
        found = true;
        await add(reader, h.size);
      }
    }
    await other.done;
  } catch (err) {
    other.kill();
    throw err;
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
  const reader = new TarReader(tar[Symbol.asyncIterator]());
  const addFile = async (info: EntryInfo, content: () => AsyncIterable<Buffer>, read: (size: number) => Promise<Buffer>, size: number) => {
    if (size > streamAbove) await zip.addStreamed(info, content(), size);
    else {
      // Wait until this file fits in the budget before reading it in.
      if (!zip.fits(budget - size)) await zip.room(budget - size);
      zip.add(encodeWhole(pool, info, await read(size)), size);
    }
  };
  try {
    for (let h = await reader.next(); h; h = await reader.next()) {
      switch (h.type) {
        case 'directory':
          zip.add({ info: baseInfo(h, 'directory'), data: [] }, 0);
          break;
        case 'symlink': {
          files += 1;
          zip.add(encodeWhole(pool, baseInfo(h, 'symlink'), pathBytes(h.linkname, h.paxLinkpath)), 0);
          break;
        }
        case 'file': {
          files += 1;
          const size = h.size;
          const info = baseInfo(h, 'file');
          const other = options.reread && size > options.reread.above ? await options.reread.tar(info.name) : undefined;
          if (other)
            await fromOtherTar(other, info.name, (r, otherSize) =>
              addFile(
                info,
                () => r.stream(otherSize),
                (n) => r.content(n),
                otherSize,
              ),
            );
          else
            await addFile(
              info,
              () => reader.stream(size),
              (n) => reader.content(n),
              size,
            );
          break;
        }
        default:
          throw new Error(`unexpected ${h.type} entry ${h.name.toString('latin1')} in the tar from git`);
      }
    }
    await zip.finish(options.comment);
    return { files };
  } finally {
    pool.close();
  }
}
