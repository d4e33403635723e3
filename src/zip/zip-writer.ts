// Writes zip entries to a sink strictly in order while their content is
// still being compressed elsewhere. Memory stays bounded: the caller waits for
// room() before reading more content, and only the central directory (about
// 60 bytes an entry) is kept to the end.

import { crc32, createDeflateRaw } from 'node:zlib';
import { looksIncompressible } from './entropy.js';
import { centralRecord, creatorVersion, dataDescriptor, type EntryInfo, isText, localHeader, trailer } from './records.js';

// Pieces smaller than this (headers, tiny files) are gathered into one write:
// an archive of many small files would otherwise cost a write, and a syscall, per piece.
const GATHER = 64 * 1024;
const DIRECTORY_BLOCK = 64 * 1024;
// How much of a streamed file is looked at to tell whether deflating it is worth it.
const STREAM_PROBE = 64 * 1024;

/** Where the zip goes; resolves when the sink can take more. */
export type Sink = (chunk: Buffer) => Promise<void>;

/** An entry ready to write: its description and its (compressed or stored) data. */
export interface Encoded {
  info: EntryInfo;
  data: Buffer[];
}

export class OrderedZipWriter {
  private offset = 0;
  private count = 0;
  private maxCreator = 0;
  // The central directory, copied record by record into 64 KiB blocks: a
  // Buffer of its own per record costs more in heap and ArrayBuffer
  // bookkeeping than its ~60 bytes (a 50,000-file push peaked at 180 MiB
  // RSS with one Buffer a record, 165 MiB with blocks; one run each).
  private readonly directory: Buffer[] = [];
  private block = Buffer.allocUnsafe(DIRECTORY_BLOCK);
  private blockUsed = 0;
  // The chain of writes, and the writes of entries that hold content (oldest first).
  private written: Promise<void> = Promise.resolve();
  private readonly holding: Promise<void>[] = [];
  private held = 0;
  // Entries queued and not yet written (after a failed write, never 0 again).
  private pending = 0;
  private gathered: Buffer[] = [];
  private gatheredBytes = 0;

  constructor(
    private readonly sink: Sink,
    private readonly level: number,
  ) {}

  /** Puts `buf` in the zip; returns a promise only when the sink must be waited for before the next piece. */
  private put(buf: Buffer): Promise<void> | undefined {
    this.offset += buf.length;
    if (buf.length < GATHER) {
      this.gathered.push(buf);
      this.gatheredBytes += buf.length;
      return this.gatheredBytes < GATHER ? undefined : this.flush();
    }
    const flushed = this.flush();
    return flushed ? flushed.then(() => this.sink(buf)) : this.sink(buf);
  }

  private async emit(buf: Buffer): Promise<void> {
    await this.put(buf);
  }

  private flush(): Promise<void> | undefined {
    if (this.gatheredBytes === 0) return undefined;
    const pieces = this.gathered;
    this.gathered = [];
    this.gatheredBytes = 0;
    return this.sink(pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces));
  }

  /** Writes an entry; returns a promise only when it had to wait for the sink, resolved once the entry is written. */
  private write({ info, data }: Encoded, bytes: number): Promise<void> | undefined {
    const at = this.offset;
    let wait = this.put(localHeader(info));
    let next = 0;
    while (next < data.length && !wait) wait = this.put(data[next++]!);
    if (wait) return this.finishWrite(wait, info, data.slice(next), at, bytes);
    this.record(info, at);
    this.held -= bytes;
    return undefined;
  }

  private async finishWrite(wait: Promise<void>, info: EntryInfo, rest: Buffer[], at: number, bytes: number): Promise<void> {
    await wait;
    for (const piece of rest) await this.emit(piece);
    this.record(info, at);
    this.held -= bytes;
  }

  private record(info: EntryInfo, at: number): void {
    this.count += 1;
    this.maxCreator = Math.max(this.maxCreator, creatorVersion(info));
    const record = centralRecord(info, at);
    if (this.blockUsed + record.length > this.block.length) {
      this.directory.push(this.block.subarray(0, this.blockUsed));
      this.block = Buffer.allocUnsafe(Math.max(DIRECTORY_BLOCK, record.length));
      this.blockUsed = 0;
    }
    this.blockUsed += record.copy(this.block, this.blockUsed);
  }

  /**
   * Queue an entry that `work` encodes (or has encoded); `bytes` of content
   * are held until it is written. An entry ready while nothing is queued
   * before it is written at once, without a promise.
   */
  add(work: Encoded | Promise<Encoded>, bytes: number): void {
    this.held += bytes;
    if (this.pending === 0 && !(work instanceof Promise)) {
      const wait = this.write(work, bytes);
      if (wait) this.track(wait, bytes);
      return;
    }
    if (work instanceof Promise) work.catch(() => undefined); // surfaced through `written`
    this.track(
      this.written.then(() => work).then((encoded) => this.write(encoded, bytes)),
      bytes,
    );
  }

  private track(write: Promise<void>, bytes: number): void {
    this.pending += 1;
    this.written = write.then(() => {
      this.pending -= 1;
      if (bytes > 0) this.holding.shift(); // this entry's own write, the oldest still holding content
    });
    this.written.catch(() => undefined); // awaited later; never an unhandled rejection
    if (bytes > 0) this.holding.push(this.written);
  }

  /** Whether no more than `limit` content bytes are held. */
  fits(limit: number): boolean {
    return this.held <= limit || this.holding.length === 0;
  }

  /** Resolves once no more than `limit` content bytes are held (rejects if a write failed). */
  async room(limit: number): Promise<void> {
    while (this.held > limit && this.holding.length > 0) await this.holding[0];
  }

  /**
   * A file too big to hold: deflated as it is read (stored, when its start
   * looks random), with sizes and crc in a data descriptor after it.
   */
  async addStreamed(info: EntryInfo, content: AsyncIterable<Buffer>, size: number): Promise<void> {
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
      const deflater = createDeflateRaw({ level: this.level });
      const feed = (async () => {
        for await (const chunk of chunks()) {
          crc = crc32(chunk, crc);
          if (!deflater.write(chunk)) await new Promise((r) => deflater.once('drain', r));
        }
        deflater.end();
      })();
      feed.catch((err: unknown) => deflater.destroy(err as Error));
      try {
        for await (const out of deflater) {
          compressed += (out as Buffer).length;
          await this.emit(out as Buffer);
        }
        await feed;
      } finally {
        deflater.destroy();
      }
    }
    Object.assign(info, { crc, compressedSize: compressed });
    await this.emit(dataDescriptor(crc, size, compressed));
    this.record(info, at);
  }

  /** After the last entry: the central directory and the end records. */
  async finish(comment: string): Promise<void> {
    await this.written;
    const directoryOffset = this.offset;
    const central = Buffer.concat([...this.directory, this.block.subarray(0, this.blockUsed)]);
    await this.emit(central);
    await this.emit(trailer(this.count, this.maxCreator, central.length, directoryOffset, comment));
    await this.flush();
  }
}
