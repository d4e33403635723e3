// Deflate many buffers at once on libuv's thread pool, reusing a few zlib
// streams. One-shot `zlib.deflateRaw` sets up a fresh zlib state per call,
// and for thousands of small files that setup (fresh memory, zeroed and
// faulted in) cost as much as the compression itself; a stream reset between
// files keeps its memory warm.
//
// A reset stream's output can depend on the files it compressed before (Node's
// zlib keeps its old window memory), so which stream gets which file must not
// depend on timing: file n always goes to stream n mod LANES, and LANES is
// fixed, not taken from the machine. The same files in the same order give
// the same bytes everywhere.

import { constants, createDeflateRaw, type DeflateRaw } from 'node:zlib';

// Measured on a 2-core machine, pushing 140 MiB to S3: three streams beat two
// and four (which starve the main thread that uploads). libuv runs 4 threads
// by default, so one stays free for file system work. Batching small files to
// one worker thread that deflates each from a fresh state (issue 18) took
// 90 ms off the main thread of the 5,000-file push but none off the machine:
// fresh zlib states cost what this pool's dispatch and resets cost (1.007×).
const LANES = 3;

interface Job {
  content: Buffer;
  resolve(out: Buffer[]): void;
  reject(err: Error): void;
}

class Lane {
  private readonly stream: DeflateRaw;
  private readonly queue: Job[] = [];
  private busy = false;
  private failed: Error | undefined;

  constructor(level: number) {
    // Every write is a whole file: Z_FINISH ends its deflate stream in the same
    // trip to the thread pool (a separate flush would cost a second trip, and
    // each trip costs the main thread a thread wake-up).
    this.stream = createDeflateRaw({ level, chunkSize: 256 * 1024, flush: constants.Z_FINISH });
    this.stream.on('error', (err) => this.fail(err));
  }

  push(job: Job): void {
    if (this.failed) job.reject(this.failed);
    else {
      this.queue.push(job);
      this.next();
    }
  }

  close(): void {
    this.stream.destroy();
  }

  private fail(err: Error): void {
    this.failed = err;
    for (const job of this.queue.splice(0)) job.reject(err);
  }

  private next(): void {
    if (this.busy || this.failed) return;
    const job = this.queue[0];
    if (!job) return;
    this.busy = true;
    const chunks: Buffer[] = [];
    const onData = (chunk: Buffer) => chunks.push(chunk);
    this.stream.on('data', onData);
    // The callback runs once the file's output has been pushed.
    this.stream.write(job.content, () => {
      this.stream.off('data', onData);
      this.busy = false;
      if (this.failed) return; // the job was rejected by fail()
      if (this.stream.destroyed) {
        this.fail(new Error('the deflate pool was closed'));
        return;
      }
      this.queue.shift();
      this.stream.reset();
      job.resolve(chunks);
      this.next();
    });
  }
}

export class DeflatePool {
  private readonly lanes: Lane[];
  private count = 0;

  constructor(level: number) {
    this.lanes = Array.from({ length: LANES }, () => new Lane(level));
  }

  /** The raw deflate stream of `content`, in pieces; call in a fixed order for reproducible bytes. */
  deflate(content: Buffer): Promise<Buffer[]> {
    const lane = this.lanes[this.count++ % LANES]!;
    return new Promise((resolve, reject) => lane.push({ content, resolve, reject }));
  }

  close(): void {
    for (const lane of this.lanes) lane.close();
  }
}
