// Deflate many small files off the main thread, in batches. Each file is
// deflated on its own from a fresh zlib state (`deflateRawSync`), so its bytes
// depend on its content and level only: not on timing, on which thread did it,
// or on the files before it. The same files give the same bytes everywhere.
//
// Why batches in a worker thread: a push of 5,000 small files spent more CPU
// handing files one by one to libuv's thread pool (a zlib stream write, a
// thread wake-up and a callback each, and a reset that clears the stream's
// tables) than deflating them: on the bench repository's 10 MiB of text,
// 420-460 ms of CPU through the pool against 200-260 ms for the bare
// deflates, on a 2-core machine where the push is CPU-bound. Here the files
// parsed in one turn of the event loop (those of one read from git) go to the
// worker in one message, and come back in one.
//
// The first files are deflated right here instead: a push of a few files
// (a small app) does not pay for starting a worker (about 20 ms of CPU).

import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';
import { deflateRawSync } from 'node:zlib';

const require = createRequire(import.meta.url);

/** Files deflated on the calling thread before a worker is started. */
const INLINE_FILES = 48;
/** A batch is sent once it holds this much content, without waiting for the turn to end. */
const BATCH_BYTES = 1024 * 1024;

// CommonJS, evaluated by the worker: no file to find next to this module,
// whether it runs built (dist/) or as TypeScript under vitest.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { deflateRawSync } = require('node:zlib');
parentPort.on('message', ({ level, files }) => {
  parentPort.postMessage(files.map((f) => deflateRawSync(f, { level })));
});
`;

interface Pending {
  resolve(out: Buffer[]): void;
  reject(err: Error): void;
}

export class DeflatePool {
  private count = 0;
  private worker: Worker | undefined;
  private batch: Buffer[] = [];
  private batchPending: Pending[] = [];
  private batchBytes = 0;
  private scheduled = false;
  /** Sent batches, oldest first: the worker answers them in order. */
  private readonly sent: Pending[][] = [];
  private failed: Error | undefined;

  constructor(private readonly level: number) {}

  /** The raw deflate stream of `content`, in pieces. */
  deflate(content: Buffer): Promise<Buffer[]> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.count++ < INLINE_FILES) {
      try {
        return Promise.resolve([deflateRawSync(content, { level: this.level })]);
      } catch (err) {
        return Promise.reject(err as Error);
      }
    }
    return new Promise((resolve, reject) => {
      this.batch.push(content);
      this.batchPending.push({ resolve, reject });
      this.batchBytes += content.length;
      if (this.batchBytes >= BATCH_BYTES) this.send();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.send();
        });
      }
    });
  }

  close(): void {
    this.fail(new Error('the deflate pool was closed'));
    void this.worker?.terminate();
  }

  private send(): void {
    if (this.batch.length === 0 || this.failed) return;
    const worker = this.start();
    worker.postMessage({ level: this.level, files: this.batch });
    this.sent.push(this.batchPending);
    worker.ref();
    this.batch = [];
    this.batchPending = [];
    this.batchBytes = 0;
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    // lazy: node:worker_threads costs about 3 ms to load; a push of up to INLINE_FILES files never needs it
    const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.on('message', (out: Uint8Array[]) => {
      const pending = this.sent.shift() ?? [];
      // Waiting for an answer keeps the process alive; an idle worker does not.
      if (this.sent.length === 0) worker.unref();
      for (const [i, p] of pending.entries()) {
        const o = out[i]!;
        p.resolve([Buffer.from(o.buffer, o.byteOffset, o.byteLength)]);
      }
    });
    worker.on('error', (err) => this.fail(err));
    worker.on('exit', () => this.fail(new Error('the deflate worker stopped')));
    this.worker = worker;
    return worker;
  }

  private fail(err: Error): void {
    this.failed ??= err;
    for (const p of [...this.sent.splice(0).flat(), ...this.batchPending.splice(0)]) p.reject(this.failed);
    this.batch = [];
    this.batchBytes = 0;
  }
}
