import { randomBytes } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DeflatePool } from '../../src/zip/deflate-pool.js';
import { looksIncompressible } from '../../src/zip/entropy.js';

const text = (i: number) => Buffer.from(`(defn handler-${i} [req] (assoc req :n ${i}))\n`.repeat(50 + (i % 97) * 13));

async function deflateAll(files: Buffer[], jitter: boolean): Promise<Buffer[]> {
  const pool = new DeflatePool(6);
  try {
    const pieces = await Promise.all(
      files.map(async (f, i) => {
        const out = pool.deflate(f);
        // Perturb when results are picked up: the bytes must not depend on timing.
        if (jitter && i % 5 === 0) await new Promise((r) => setTimeout(r, i % 3));
        return out;
      }),
    );
    return pieces.map((p) => Buffer.concat(p));
  } finally {
    pool.close();
  }
}

describe('DeflatePool', () => {
  it('gives raw deflate streams that inflate back to each input', async () => {
    const files = Array.from({ length: 60 }, (_, i) => text(i));
    const out = await deflateAll(files, false);
    for (const [i, o] of out.entries()) expect(inflateRawSync(o).equals(files[i]!)).toBe(true);
    expect(out.every((o, i) => o.length < files[i]!.length)).toBe(true);
  });

  it('gives the same bytes for the same inputs in the same order, whatever the timing', async () => {
    const files = Array.from({ length: 200 }, (_, i) => text(i));
    const a = await deflateAll(files, false);
    const b = await deflateAll(files, true);
    expect(Buffer.concat(b).equals(Buffer.concat(a))).toBe(true);
  });

  it('rejects work after it is closed', async () => {
    const pool = new DeflatePool(6);
    const pending = pool.deflate(text(1));
    pool.close();
    await expect(pending).rejects.toThrow();
  });
});

describe('looksIncompressible', () => {
  it('spots random bytes and leaves text, zeros and small files to deflate', () => {
    expect(looksIncompressible(randomBytes(64 * 1024))).toBe(true);
    expect(looksIncompressible(text(40))).toBe(false);
    expect(looksIncompressible(Buffer.alloc(64 * 1024))).toBe(false);
    expect(looksIncompressible(randomBytes(8 * 1024))).toBe(false);
  });
});
