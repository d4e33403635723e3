// A pass-through that hashes and counts the bytes of a revision as they are
// streamed into a store, so sha256 and size never need a second read.

import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

export interface DigestOptions {
  onProgress?: (bytes: number) => void;
  /**
   * Run once the whole body has been read, before the stream ends (its
   * failure fails the stream): what must happen before a store may act on
   * the complete body, done no earlier than needed.
   */
  beforeEnd?: () => Promise<void>;
  /**
   * Hand on each chunk as it came, never joined with the next. A byte stream
   * read by an async iterator (as lib-storage reads a body) returns all it
   * has buffered as one new Buffer, a copy that cost 2.5% of a 100 MiB push;
   * a reader that gathers its own parts needs no such copy. At most 4 chunks
   * wait, about the 256 KiB a byte stream would hold (the zip writer's are
   * at most git's 64 KiB reads, or an entry's headers, or the central
   * directory): a body that runs further ahead of its reader would end, and
   * run `beforeEnd`, before the reader has sent what it holds.
   */
  chunks?: boolean;
}

export class DigestStream extends Transform {
  private readonly hash = createHash('sha256');
  // Not `size`: lib-storage reads a body's `size` as its total length.
  bytes = 0;
  private readonly onProgress: ((bytes: number) => void) | undefined;
  private readonly beforeEnd: (() => Promise<void>) | undefined;

  constructor(options: DigestOptions = {}) {
    super(options.chunks ? { writableHighWaterMark: 256 * 1024, readableObjectMode: true, readableHighWaterMark: 4 } : { highWaterMark: 256 * 1024 });
    this.onProgress = options.onProgress;
    this.beforeEnd = options.beforeEnd;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    this.onProgress?.(this.bytes);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (!this.beforeEnd) callback();
    else
      this.beforeEnd().then(
        () => callback(),
        (err: unknown) => callback(err as Error),
      );
  }

  /** The hex sha256 of everything that went through; call once, after the end. */
  sha256(): string {
    return this.hash.digest('hex');
  }
}
