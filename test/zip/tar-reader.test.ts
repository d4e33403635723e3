import { Readable } from 'node:stream';
import { pack } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { TarReader } from '../../src/zip/tar-reader.js';

async function tarOf(
  entries: { name: string; type?: 'file' | 'directory' | 'symlink'; linkname?: string; mode?: number; content?: string }[],
): Promise<Buffer> {
  const p = pack();
  for (const e of entries)
    p.entry({ name: e.name, type: e.type ?? 'file', linkname: e.linkname, mode: e.mode, mtime: new Date(1_700_000_000_000) }, e.content ?? '');
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p as unknown as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

/** The tar in pieces of `size` bytes, so headers and contents straddle chunks. */
function inPieces(tar: Buffer, size: number): AsyncIterator<Buffer> {
  const pieces: Buffer[] = [];
  for (let at = 0; at < tar.length; at += size) pieces.push(tar.subarray(at, at + size));
  return Readable.from(pieces)[Symbol.asyncIterator]();
}

describe('TarReader', () => {
  it('reads names (a long one too), types, modes, times, link targets and contents, whatever the chunking', async () => {
    const long = `${'long-directory-name/'.repeat(8)}file.txt`;
    const tar = await tarOf([
      { name: 'dir/', type: 'directory' },
      { name: 'dir/a.txt', content: 'hello', mode: 0o644 },
      { name: 'run.sh', content: '#!/bin/sh\n'.repeat(100), mode: 0o755 },
      { name: long, content: 'x'.repeat(1000) },
      { name: 'link', type: 'symlink', linkname: 'dir/a.txt' },
    ]);
    for (const size of [1, 100, 512, 513, 1 << 16]) {
      const reader = new TarReader(inPieces(tar, size));
      const seen: string[] = [];
      for (let h = await reader.next(); h; h = await reader.next()) {
        const content = h.type === 'file' ? (await reader.content(h.size)).toString() : '';
        seen.push(`${h.type} ${h.name.toString()} ${h.mode.toString(8)} ${h.mtime} ${h.linkname.toString()} ${content.length}:${content.slice(0, 5)}`);
      }
      expect(seen).toEqual([
        'directory dir/ 755 1700000000  0:',
        'file dir/a.txt 644 1700000000  5:hello',
        'file run.sh 755 1700000000  1000:#!/bi',
        `file ${long} 644 1700000000  1000:xxxxx`,
        'symlink link 644 1700000000 dir/a.txt 0:',
      ]);
    }
  });

  it('skips contents not read, and streams a content in the pieces it arrives in', async () => {
    const tar = await tarOf([
      { name: 'skipped.txt', content: 'a'.repeat(3000) },
      { name: 'streamed.txt', content: 'b'.repeat(3000) },
    ]);
    const reader = new TarReader(inPieces(tar, 700));
    expect((await reader.next())?.name.toString()).toBe('skipped.txt');
    const h = await reader.next();
    const pieces: Buffer[] = [];
    for await (const piece of reader.stream(h!.size)) pieces.push(piece);
    expect(pieces.length).toBeGreaterThan(1);
    expect(Buffer.concat(pieces).toString()).toBe('b'.repeat(3000));
    expect(await reader.next()).toBeUndefined();
  });

  it('rejects a truncated tar and a header with a wrong checksum', async () => {
    const tar = await tarOf([{ name: 'a.txt', content: 'abcd'.repeat(1000) }]);
    const truncated = new TarReader(inPieces(tar.subarray(0, 2000), 512));
    const h = await truncated.next();
    await expect(truncated.content(h!.size)).rejects.toThrow('Unexpected end of data');
    const corrupt = Buffer.from(tar);
    corrupt[10] = corrupt[10]! ^ 1;
    await expect(new TarReader(inPieces(corrupt, 512)).next()).rejects.toThrow('Invalid tar header');
    await expect(new TarReader(inPieces(tar.subarray(0, 300), 512)).next()).rejects.toThrow('Unexpected end of data');
  });
});
