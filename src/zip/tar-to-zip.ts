// A tar stream (what `git archive --format=tar` writes) turned into a zip with
// the entries, order and headers `git archive --format=zip` would give. The
// point is speed: git deflates on one thread, here every file is deflated on
// libuv's thread pool, several at once, while the entries are still written in
// tar order. Memory stays bounded: files above `streamAbove` are deflated as a
// stream (with a data descriptor, as git does for big files), and no more than
// `budget` bytes of content wait in memory at any time.

import { constants, crc32, createDeflateRaw } from 'node:zlib';
import type { Readable } from 'node:stream';
import { extract, type Headers } from 'tar-stream';
import { DeflatePool } from './deflate-pool.js';
import { looksIncompressible } from './entropy.js';
import { centralRecord, dataDescriptor, type EntryInfo, entryName, isText, localHeader, trailer } from './records.js';

// zlib's default level, as git uses by default.
const LEVEL = constants.Z_DEFAULT_COMPRESSION;
const GATHER = 64 * 1024;
// How much of a streamed file is looked at to tell whether deflating it is worth it.
const STREAM_PROBE = 64 * 1024;

export interface TarToZipOptions {
  /** The archive comment: the commit id, as git writes it. */
  comment: string;
  /** Content larger than this is deflated as a stream instead of in one piece (default 16 MiB). */
  streamAbove?: number;
  /** At most this many bytes of content held for deflating at once (default 32 MiB). */
  budget?: number;
}

/** Where the zip goes; resolves when the sink can take more. */
export type Sink = (chunk: Buffer) => Promise<void>;

interface Encoded {
  info: EntryInfo;
  data?: Buffer;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

function baseInfo(h: Headers, kind: EntryInfo['kind']): EntryInfo {
  const name = kind === 'directory' && !h.name.endsWith('/') ? `${h.name}/` : h.name;
  return {
    name: entryName(name),
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
    if (packed.length < content.length) {
      info.method = 8;
      info.compressedSize = packed.length;
      return { info, data: packed };
    }
  }
  info.compressedSize = content.length;
  return { info, data: content };
}

/**
 * Writes entries to the sink strictly in order while their content is still
 * being compressed: `written` chains the writes, `held` counts content bytes
 * waiting in memory.
 */
class OrderedZipWriter {
  private offset = 0;
  private readonly entries: EntryInfo[] = [];
  private readonly directory: Buffer[] = [];
  private written: Promise<void> = Promise.resolve();
  private readonly pending: Promise<void>[] = [];
  private held = 0;

  constructor(private readonly sink: Sink) {}

  // Small pieces (headers, tiny files) are gathered into one write: an archive
  // of many small files would otherwise cost a write, and a syscall, per piece.
  private gathered: Buffer[] = [];
  private gatheredBytes = 0;

  private async emit(buf: Buffer): Promise<void> {
    this.offset += buf.length;
    if (buf.length < GATHER) {
      this.gathered.push(buf);
      this.gatheredBytes += buf.length;
      if (this.gatheredBytes < GATHER) return;
    }
    await this.flush();
    if (buf.length >= GATHER) await this.sink(buf);
  }

  private async flush(): Promise<void> {
    if (this.gatheredBytes === 0) return;
    const pieces = this.gathered;
    this.gathered = [];
    this.gatheredBytes = 0;
    await this.sink(pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces));
  }

  private record(info: EntryInfo, at: number): void {
    this.entries.push(info);
    this.directory.push(centralRecord(info, at));
  }

  /** Queue an entry whose header and data `work` will give; `bytes` of content are held meanwhile. */
  add(work: Promise<Encoded>, bytes: number): void {
    this.held += bytes;
    work.catch(() => undefined); // surfaced through `written`
    this.written = this.written.then(async () => {
      const { info, data } = await work;
      const at = this.offset;
      await this.emit(localHeader(info));
      if (data && data.length > 0) await this.emit(data);
      this.record(info, at);
      this.held -= bytes;
    });
    this.written.catch(() => undefined); // awaited later; never an unhandled rejection
    this.pending.push(this.written);
  }

  /** Resolves once no more than `budget` content bytes are held (rejects if a write failed). */
  async room(budget: number): Promise<void> {
    while (this.held > budget && this.pending.length > 0) await this.pending.shift();
  }

  /**
   * A file too big to hold: deflated as it is read (stored, when its start
   * looks random), with sizes and crc in a data descriptor after it.
   */
  async addStreamed(info: EntryInfo, content: Readable, size: number): Promise<void> {
    await this.written;
    const source = content[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    const lead: Buffer[] = [];
    let leadBytes = 0;
    while (leadBytes < STREAM_PROBE) {
      const next = await source.next();
      if (next.done) break;
      lead.push(next.value);
      leadBytes += next.value.length;
    }
    const head = Buffer.concat(lead);
    const store = looksIncompressible(head);
    // As git writes a streamed entry: crc unknown (0) and, when deflated, compressed size too.
    Object.assign(info, { method: store ? 0 : 8, size, compressedSize: store ? size : 0, streamed: true, text: isText(head) });
    const at = this.offset;
    await this.emit(localHeader(info));
    async function* chunks(): AsyncGenerator<Buffer> {
      yield* lead;
      for (let next = await source.next(); !next.done; next = await source.next()) yield next.value;
    }
    let crc = 0;
    let compressed = 0;
    if (store) {
      for await (const chunk of chunks()) {
        crc = crc32(chunk, crc);
        compressed += chunk.length;
        await this.emit(chunk);
      }
    } else {
      const deflater = createDeflateRaw({ level: LEVEL });
      const feed = (async () => {
        for await (const chunk of chunks()) {
          crc = crc32(chunk, crc);
          if (!deflater.write(chunk)) await new Promise((r) => deflater.once('drain', r));
        }
        deflater.end();
      })();
      feed.catch((err: unknown) => deflater.destroy(err as Error));
      for await (const out of deflater) {
        compressed += (out as Buffer).length;
        await this.emit(out as Buffer);
      }
      await feed;
    }
    Object.assign(info, { crc, compressedSize: compressed });
    await this.emit(dataDescriptor(crc, size, compressed));
    this.record(info, at);
  }

  /** After the last entry: the central directory and the end records. */
  async finish(comment: string): Promise<void> {
    await this.written;
    const directoryOffset = this.offset;
    const central = Buffer.concat(this.directory);
    await this.emit(central);
    await this.emit(trailer(this.entries, central.length, directoryOffset, comment));
    await this.flush();
  }
}

/**
 * Convert the tar read from `tar` into a zip written to `sink`. Rejects on
 * malformed input or a sink that fails; the sink then holds a truncated zip,
 * which the caller must discard.
 */
/** What went into the zip. */
export interface ZipSummary {
  /** Files and symbolic links (what `git ls-files` would list, less export-ignored paths). */
  files: number;
}

export async function tarToZip(tar: Readable, sink: Sink, options: TarToZipOptions): Promise<ZipSummary> {
  const streamAbove = options.streamAbove ?? 16 * 1024 * 1024;
  const budget = options.budget ?? 32 * 1024 * 1024;
  const zip = new OrderedZipWriter(sink);
  let files = 0;
  const pool = new DeflatePool(LEVEL);
  const reader = extract();
  tar.on('error', (err) => reader.destroy(err));
  tar.pipe(reader as unknown as NodeJS.WritableStream);
  try {
    for await (const entry of reader) {
      const h = entry.header;
      switch (h.type) {
        case 'directory':
          zip.add(Promise.resolve({ info: baseInfo(h, 'directory') }), 0);
          entry.resume();
          break;
        case 'symlink':
          files += 1;
          zip.add(encodeWhole(pool, baseInfo(h, 'symlink'), Buffer.from(h.linkname ?? '', 'utf8')), 0);
          entry.resume();
          break;
        case 'file': {
          files += 1;
          const size = h.size ?? 0;
          const info = baseInfo(h, 'file');
          if (size > streamAbove) await zip.addStreamed(info, entry, size);
          else zip.add(encodeWhole(pool, info, await readAll(entry)), size);
          break;
        }
        default:
          throw new Error(`unexpected ${h.type} entry ${h.name} in the tar from git`);
      }
      await zip.room(budget);
    }
    await zip.finish(options.comment);
    return { files };
  } finally {
    pool.close();
    reader.destroy();
  }
}
