import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { constants as zlib, deflateRawSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalComputeGroup } from '../../../src/backends/local/group.js';
import { checkZip, unzipRelease } from '../../../src/backends/local/unzip.js';
import { IonflowError, isAbortError } from '../../../src/model/errors.js';
import { localGroup, metaFor, zipStore } from '../../support/deploy-fixtures.js';
import { makeTempDir } from '../../support/repo.js';
import { writeZip } from '../../support/zip-writer.js';

let root: string;
beforeEach(() => {
  // root/outside is where an escaping entry would land; root/a/b/group is the group.
  root = makeTempDir('ionflow-unzip-');
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

/** Every path under `dir`, for "nothing was written" checks. */
function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

const evil = () =>
  writeZip(join(root, 'evil.zip'), [
    { name: 'ok.txt', data: 'fine' },
    { name: '../../escaped.txt', data: 'pwned' },
    { name: '/tmp/ionflow-absolute-escape.txt', data: 'pwned' },
    { name: 'sub/../../../up.txt', data: 'pwned' },
    { name: 'link', kind: 'symlink', data: '../../outside' },
    { name: 'abs-link', kind: 'symlink', data: '/etc' },
    // `here` -> `.` stays inside, but `here/..` then resolves to the parent.
    { name: 'here', kind: 'symlink', data: '.' },
    { name: 'sneaky', kind: 'symlink', data: 'here/..' },
  ]);

describe('unpacking a revision', () => {
  it('refuses ../ entries, absolute paths and escaping links, naming each, before writing anything', async () => {
    const zip = evil();
    const dest = join(root, 'a', 'b', 'release');
    const before = tree(root);
    const err = await unzipRelease(zip, dest).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IonflowError);
    const message = (err as Error).message;
    for (const bad of ['../../escaped.txt', '/tmp/ionflow-absolute-escape.txt', 'sub/../../../up.txt', '"link"', '"abs-link"', '"sneaky"']) {
      expect(message).toContain(bad);
    }
    expect(message).not.toContain('"ok.txt"');
    expect(message).not.toContain('"here" is');
    expect(tree(root)).toEqual(before);
    expect(existsSync('/tmp/ionflow-absolute-escape.txt')).toBe(false);
  });

  it('accepts links that stay inside, and keeps modes', async () => {
    const zip = writeZip(join(root, 'good.zip'), [
      { name: 'bin/', kind: 'dir' },
      { name: 'bin/start', data: '#!/bin/sh\n', mode: 0o755 },
      { name: 'conf/app.edn', data: '{}' },
      { name: 'conf/current', kind: 'symlink', data: '../bin/start' },
    ]);
    expect((await checkZip(zip)).map((e) => [e.path, e.kind])).toEqual([
      ['bin', 'dir'],
      ['bin/start', 'file'],
      ['conf/app.edn', 'file'],
      ['conf/current', 'symlink'],
    ]);
    const dest = join(root, 'rel');
    expect(await unzipRelease(zip, dest)).toEqual({ files: 2 });
    expect(readlinkSync(join(dest, 'conf/current'))).toBe('../bin/start');
    expect(readFileSync(join(dest, 'conf/app.edn'), 'utf8')).toBe('{}');
    expect(readdirSync(root).sort()).toEqual(['good.zip', 'rel']);
  });

  it('a deployment of a crafted zip is FAILED, stops nothing and leaves the group as it was', async () => {
    const groupDir = join(root, 'a', 'b', 'group');
    const group = new LocalComputeGroup(localGroup(groupDir), 'sample');
    const goodZip = writeZip(join(root, 'v1.zip'), [
      { name: 'appspec.yml', data: 'version: 0.0\nhooks:\n  ApplicationStop:\n    - location: stop.sh\n' },
      { name: 'stop.sh', data: `#!/bin/sh\necho stopped >> "${join(root, 'stops.log')}"\n`, mode: 0o755 },
    ]);
    const first = await group.deploy({ revision: metaFor('v1', goodZip), store: zipStore });
    expect(first.status.deployStatus).toBe('SUCCEEDED');
    const before = tree(root).filter((p) => !p.includes('deployments'));

    const result = await group.deploy({ revision: metaFor('v2', evil()), store: zipStore });
    expect(result.status.deployStatus).toBe('FAILED');
    expect(result.status.error).toMatch(/^refused to unpack .*"\.\.\/\.\.\/escaped\.txt" escapes the release folder/);
    expect(tree(root).filter((p) => !p.includes('deployments'))).toEqual([...before, 'evil.zip'].sort());
    expect(existsSync(join(root, 'stops.log'))).toBe(false); // ApplicationStop did not run
    expect(readlinkSync(join(groupDir, 'current'))).toBe(join('releases', 'v1'));
    expect(existsSync(join(root, 'escaped.txt'))).toBe(false);
    expect(existsSync(join(root, 'a', 'up.txt'))).toBe(false);
  });

  it('refuses a revision name that is not a plain folder name', async () => {
    const groupDir = join(root, 'g');
    mkdirSync(groupDir);
    writeFileSync(join(root, 'x.zip'), '');
    const group = new LocalComputeGroup(localGroup(groupDir), 'sample');
    await expect(group.deploy({ revision: metaFor('../x', join(root, 'x.zip')), store: zipStore })).rejects.toThrow(/cannot name a release folder/);
  });
});

describe('unpacking a broken revision', () => {
  it('leaves no half-written release behind when an entry cannot be written', async () => {
    const files = Array.from({ length: 40 }, (_, i) => ({ name: `f${i}.txt`, data: `file ${i}` }));
    // The same name twice: the second write fails (files are created exclusively).
    const zip = writeZip(join(root, 'dup.zip'), [...files, { name: 'f3.txt', data: 'again' }, ...files.map((f) => ({ ...f, name: `more/${f.name}` }))]);
    const dest = join(root, 'rel');
    await expect(unzipRelease(zip, dest)).rejects.toThrow(/EEXIST/);
    expect(readdirSync(root)).toEqual(['dup.zip']);
  });
});

describe('interrupting an unpacking', () => {
  it('stops writing a large file at once, and leaves nothing', async () => {
    // ~3.9 GiB of zeros in a 4 MB zip: the same sync-flushed 1 MiB deflate block, repeated, then a final empty block.
    const block = deflateRawSync(Buffer.alloc(1 << 20), { finishFlush: zlib.Z_SYNC_FLUSH });
    const copies = 4000;
    const zip = writeZip(join(root, 'big.zip'), [
      { name: 'big.bin', compressed: Buffer.concat([...Array<Buffer>(copies).fill(block), Buffer.from([3, 0])]), declaredSize: copies * (1 << 20) },
    ]);
    const dest = join(root, 'release');
    const controller = new AbortController();
    const unpacking = unzipRelease(zip, dest, { signal: controller.signal }).then(
      () => undefined,
      (err: unknown) => err,
    );
    // Interrupt once the file is being written.
    while (!tree(root).some((p) => p.endsWith('big.bin'))) await sleep(10);
    const t0 = Date.now();
    controller.abort();
    const err = await unpacking;
    expect(isAbortError(err)).toBe(true);
    // Writing it all takes many seconds; an interrupt is a chunk away (~0.1 s idle).
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(tree(root)).toEqual(['big.zip']);
  });
});

describe('a link entry of a crafted size', () => {
  it('is refused from its declared size, without reading it into memory', async () => {
    // 600 MiB of "a" in a tiny zip, as a link's target: read whole, it made a string past V8's limit.
    const block = deflateRawSync(Buffer.alloc(1 << 20, 'a'), { finishFlush: zlib.Z_SYNC_FLUSH });
    const copies = 600;
    const zip = writeZip(join(root, 'huge-link.zip'), [
      { name: 'ok.txt', data: 'fine' },
      { name: 'l', kind: 'symlink', compressed: Buffer.concat([...Array<Buffer>(copies).fill(block), Buffer.from([3, 0])]), declaredSize: copies * (1 << 20) },
    ]);
    const err = await checkZip(zip).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(IonflowError);
    expect((err as Error).message).toMatch(/"l" is a link whose target is 629145600 bytes long/);
  });
});
