// One open file behind every read of a revision zip during an install: the
// entry check, the unpacking and the sha256 all read the same inode. A push
// that replaces the store's file meanwhile (a --force, a uname pushed again)
// cannot slip other bytes between the hash and what is written.

import { createReadStream, read } from 'node:fs';
import { Readable } from 'node:stream';
import yauzl, { type ZipFile } from 'yauzl';

/** An open zip file: its descriptor (owned by the caller) and its size when opened. */
export interface ZipSource {
  fd: number;
  size: number;
}

/**
 * A destroyed fs.ReadStream closes its descriptor whatever autoClose says, and
 * yauzl destroys streams it has read enough of: reads here leave the
 * descriptor to its owner.
 */
const keepOpen = { read, close: (_fd: number, cb: (err: NodeJS.ErrnoException | null) => void) => cb(null) };

/** yauzl's documented extension point; positional reads, so streams over one fd never disturb each other. */
class FdReader extends yauzl.RandomAccessReader {
  constructor(private readonly fd: number) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    // yauzl's end is exclusive, Node's inclusive; Node refuses an empty range.
    return end > start ? createReadStream('', { fd: this.fd, start, end: end - 1, autoClose: false, fs: keepOpen }) : Readable.from([]);
  }
}

/** The zip of a path (yauzl opens and closes it) or of an open source (the caller closes it). */
export function openZip(source: string | ZipSource): Promise<ZipFile> {
  const options = { lazyEntries: true, decodeStrings: false, autoClose: false };
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, zip?: ZipFile) => (err || !zip ? reject(err) : resolve(zip));
    if (typeof source === 'string') yauzl.open(source, options, done);
    else yauzl.fromRandomAccessReader(new FdReader(source.fd), source.size, options, done);
  });
}

/** The whole file, read from the start by position. */
export function readWhole(source: ZipSource, options: { highWaterMark: number; signal: AbortSignal }): Readable {
  return createReadStream('', { fd: source.fd, start: 0, autoClose: false, fs: keepOpen, ...options });
}
