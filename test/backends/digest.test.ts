import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { DigestStream } from '../../src/backends/digest.js';

const pieces = Array.from({ length: 40 }, (_, i) => randomBytes(1000 + i * 97));
const whole = Buffer.concat(pieces);

/** What an async iterator (lib-storage's way of reading a body) gets from the digest, read slowly. */
async function readSlowly(digest: DigestStream): Promise<Buffer[]> {
  const got: Buffer[] = [];
  for await (const chunk of digest) {
    got.push(chunk as Buffer);
    await new Promise((r) => setTimeout(r, 1));
  }
  return got;
}

describe('DigestStream', () => {
  it('with chunks: hands on each chunk as it came, never joined, and hashes and counts them all', async () => {
    const digest = new DigestStream({ chunks: true });
    const [got] = await Promise.all([readSlowly(digest), pipeline(Readable.from(pieces), digest)]);
    expect(got.map((b) => b.length)).toEqual(pieces.map((b) => b.length));
    expect(Buffer.concat(got).equals(whole)).toBe(true);
    expect(digest.bytes).toBe(whole.length);
    expect(digest.sha256()).toBe(createHash('sha256').update(whole).digest('hex'));
  });

  it('as a byte stream: an async iterator gets what was buffered joined, the same bytes and digest', async () => {
    const digest = new DigestStream();
    const [got] = await Promise.all([readSlowly(digest), pipeline(Readable.from(pieces), digest)]);
    expect(got.length).toBeLessThan(pieces.length);
    expect(Buffer.concat(got).equals(whole)).toBe(true);
    expect(digest.sha256()).toBe(createHash('sha256').update(whole).digest('hex'));
  });
});
