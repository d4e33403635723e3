import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalRevisionStore } from '../../../src/backends/local/store.js';
import type { PutRevisionInput } from '../../../src/backends/types.js';
import { makeTempDir } from '../../support/repo.js';

const SHA = 'b'.repeat(40);
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function input(body: Readable, extra: Partial<PutRevisionInput> = {}): PutRevisionInput {
  return { appName: 'shop', name: { rev: SHA }, tree: 'c'.repeat(40), entryPoints: { appName: 'shop' }, fileCount: 2, body, ...extra };
}

describe('local revision store', () => {
  it('writes <dir>/<app>/<name>.zip and .json with the metadata of SPEC §5', async () => {
    dir = makeTempDir();
    const store = new LocalRevisionStore(dir);
    const body = randomBytes(200_000);
    const seen: number[] = [];
    const meta = await store.put(input(Readable.from([body]), { onProgress: (n) => seen.push(n) }));
    const zip = join(dir, 'shop', `${SHA}.zip`);
    expect(readFileSync(zip).equals(body)).toBe(true);
    const json = JSON.parse(readFileSync(join(dir, 'shop', `${SHA}.json`), 'utf8'));
    expect(json).toEqual(meta);
    expect(meta).toMatchObject({
      name: SHA,
      rev: SHA,
      appName: 'shop',
      sha256: createHash('sha256').update(body).digest('hex'),
      size: body.length,
      fileCount: 2,
      tree: 'c'.repeat(40),
      entryPoints: { appName: 'shop' },
      location: zip,
    });
    expect(Number.isNaN(Date.parse(meta.pushedAt))).toBe(false);
    expect(seen.at(-1)).toBe(body.length);
    expect(await store.get('shop', SHA)).toEqual(meta);
    expect(await store.get('shop', 'other')).toBeUndefined();
    expect((await store.fetchZip(meta)).path).toBe(zip);
    expect(readdirSync(join(dir, 'shop')).sort()).toEqual([`${SHA}.json`, `${SHA}.zip`]);
  });

  it('lists revisions newest first', async () => {
    dir = makeTempDir();
    const store = new LocalRevisionStore(dir);
    await store.put(input(Readable.from([Buffer.from('one')]), { name: { uname: 'one' } }));
    await new Promise((r) => setTimeout(r, 5));
    await store.put(input(Readable.from([Buffer.from('two')]), { name: { uname: 'two' } }));
    expect((await store.list('shop')).map((m) => m.name)).toEqual(['two', 'one']);
    expect(await store.list('nobody')).toEqual([]);
  });

  it('an abort mid-stream leaves no zip, no metadata and no temporary file', async () => {
    dir = makeTempDir();
    const store = new LocalRevisionStore(dir);
    const controller = new AbortController();
    let sent = 0;
    const body = new Readable({
      read() {
        if (sent++ < 4) this.push(randomBytes(64 * 1024));
        else controller.abort(); // and never end: the abort must stop the write
      },
    });
    await expect(store.put(input(body, { signal: controller.signal }))).rejects.toMatchObject({ name: 'AbortError' });
    expect(readdirSync(join(dir, 'shop'))).toEqual([]);
  });

  it('a failing source keeps the previous revision of that name intact', async () => {
    dir = makeTempDir();
    const store = new LocalRevisionStore(dir);
    await store.put(input(Readable.from([Buffer.from('v1')]), { name: { uname: 'try' } }));
    const broken = new Readable({
      read() {
        this.destroy(new Error('git archive failed'));
      },
    });
    await expect(store.put(input(broken, { name: { uname: 'try' } }))).rejects.toThrow('git archive failed');
    // The old revision is untouched (its zip and json), and no temp file is left.
    expect(readdirSync(join(dir, 'shop')).sort()).toEqual(['try.json', 'try.zip']);
    expect(readFileSync(join(dir, 'shop', 'try.zip'), 'utf8')).toBe('v1');
    expect(existsSync(join(dir, 'shop', 'try.json'))).toBe(true);
  });

  it('a commit pushed again stays readable all along; a uname pushed again is unregistered until its new zip is in', async () => {
    dir = makeTempDir();
    const store = new LocalRevisionStore(dir);
    const body = randomBytes(300_000);
    // Reads the metadata over and over while `put` runs: what a deploy in another process would see.
    const watch = async (name: string, put: Promise<unknown>) => {
      const seen = new Set<boolean>();
      let done = false;
      put.finally(() => (done = true)).catch(() => undefined);
      while (!done) seen.add((await store.get('shop', name)) !== undefined);
      await put;
      return seen;
    };
    const pieces = () => Readable.from(Array.from({ length: 30 }, (_, i) => body.subarray(i * 10_000, (i + 1) * 10_000)));
    await store.put(input(pieces()));
    // Two runs of one commit at once (test/hostile/store-and-lock.test.ts): the one deploying must still find it.
    expect(await watch(SHA, store.put(input(pieces())))).toEqual(new Set([true]));
    expect(readFileSync(join(dir, 'shop', `${SHA}.zip`)).equals(body)).toBe(true);
    await store.put(input(pieces(), { name: { uname: 'u' } }));
    expect(await watch('u', store.put(input(Readable.from([randomBytes(1000)]), { name: { uname: 'u' } })))).toContain(false);
    expect(await store.get('shop', 'u')).toMatchObject({ size: 1000 });
  });
});
