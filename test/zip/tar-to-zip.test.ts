import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pack } from 'tar-stream';
import { afterEach, describe, expect, it } from 'vitest';
import { streamArchive } from '../../src/git/archive.js';
import { tarToZip } from '../../src/zip/tar-to-zip.js';
import { archivingProcesses } from '../support/processes.js';
import { makeRepo, type TempRepo } from '../support/repo.js';
import { readZipLayout, withoutCompression } from '../support/zip-layout.js';
import { zipFiles } from '../support/zip-entries.js';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

let lastFiles = 0;
async function ours(r: TempRepo, commit: string, streamAbove?: number): Promise<Buffer> {
  const archive = streamArchive(r.dir, commit, { streamAbove });
  const chunks: Buffer[] = [];
  for await (const c of archive.body) chunks.push(c as Buffer);
  lastFiles = (await archive.done).files;
  return Buffer.concat(chunks);
}

/** git's own zip. TZ=UTC: git writes MS-DOS times in local time, ionflow always in UTC. */
function gits(r: TempRepo, commit: string): Buffer {
  return execFileSync('git', ['archive', '--format=zip', commit], { cwd: r.dir, env: { ...r.env, TZ: 'UTC' }, maxBuffer: 1 << 28 });
}

/** Every kind of entry git archives: text, executable, symlink, empty, binary, incompressible, non-ASCII, long path, submodule, attributes. */
function richRepo(): TempRepo {
  const r = makeRepo({
    'README.md': '# shop\n'.repeat(200),
    'bin/run.sh': '#!/bin/sh\necho run\n',
    'empty.txt': '',
    'tiny.txt': 'x',
    'assets/.keep': '',
    'data/.keep': '',
    'docs/café.md': 'accents\n'.repeat(50),
    [`${'deep/'.repeat(25)}file.clj`]: '(ns deep)\n'.repeat(30),
    '.gitattributes': 'secret/ export-ignore\nversion.txt export-subst\n',
    'secret/key.txt': 'never shipped',
    'version.txt': 'commit $Format:%H$\n',
  });
  writeFileSync(join(r.dir, 'assets/random.bin'), randomBytes(40 * 1024));
  writeFileSync(join(r.dir, 'data/blob.bin'), Buffer.concat([Buffer.alloc(3000), Buffer.from('tail '.repeat(500))]));
  execFileSync('chmod', ['+x', join(r.dir, 'bin/run.sh')]);
  symlinkSync('README.md', join(r.dir, 'link.md'));
  r.git('add', '-A');
  // A submodule entry (gitlink) without a submodule checkout.
  r.git('update-index', '--add', '--cacheinfo', `160000,${'a'.repeat(40)},vendor/lib`);
  r.git('commit', '-q', '-m', 'rich');
  return r;
}

describe('the zip of a commit', () => {
  it('has the entries, order and headers of git archive --format=zip, and the same contents', async () => {
    repo = richRepo();
    const sha = repo.head();
    const mine = readZipLayout(await ours(repo, sha));
    const theirs = readZipLayout(gits(repo, sha));
    expect(mine.entries.map((e) => e.name)).toContain('vendor/lib/');
    expect(mine.entries.map((e) => e.name)).not.toContain('secret/key.txt');
    expect(mine.entries.find((e) => e.name === 'version.txt')?.content.toString()).toBe(`commit ${sha}\n`);
    expect(mine.comment).toBe(sha);
    // Files and links are counted; folders, the submodule and export-ignored files are not.
    expect(lastFiles).toBe(mine.entries.filter((e) => !e.name.endsWith('/')).length);
    expect(lastFiles).toBe(13);
    expect(withoutCompression(mine)).toEqual(withoutCompression(theirs));
    // Compressed where it pays, stored where it does not: as git decides.
    expect(mine.entries.find((e) => e.name === 'README.md')?.method).toBe(8);
    expect(mine.entries.find((e) => e.name === 'assets/random.bin')?.method).toBe(0);
  });

  it('keeps names that are not UTF-8 as git does: the bytes as they are, without the UTF-8 flag', async () => {
    repo = makeRepo({ 'a.txt': 'a' });
    writeFileSync(join(repo.dir, Buffer.from('latin\xe9.txt', 'latin1').toString('latin1')), 'x');
    writeFileSync(Buffer.from(`${repo.dir}/latin\xe9-raw.txt`, 'latin1'), 'raw');
    writeFileSync(join(repo.dir, 'café.txt'), 'utf8');
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'names');
    const sha = repo.head();
    const mine = readZipLayout(await ours(repo, sha));
    const theirs = readZipLayout(gits(repo, sha));
    expect(withoutCompression(mine)).toEqual(withoutCompression(theirs));
    expect(mine.entries.filter((e) => e.flags & 0x800).map((e) => e.name)).toEqual(['café.txt', 'latiné.txt']);
  });

  it('fails quickly with its reason when a path cannot go in the zip, and stops git', async () => {
    repo = makeRepo({ 'a.txt': 'a' });
    // One name over 100 bytes: git's tar can only carry it in a pax record.
    const long = Buffer.concat([Buffer.from('n'.repeat(120)), Buffer.from([0xe9]), Buffer.from('.txt')]);
    writeFileSync(Buffer.concat([Buffer.from(`${repo.dir}/`), long]), 'x');
    for (let i = 0; i < 40; i++) writeFileSync(join(repo.dir, `z${i}.txt`), randomBytes(300_000));
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'long name');
    const archive = streamArchive(repo.dir, repo.head());
    archive.body.on('error', () => undefined).resume(); // a store reports it; here `done` does
    await expect(archive.done).rejects.toThrow(/^could not build the revision zip: cannot put ".*" in a zip: a path over 100 bytes/);
  });

  it('settles when the reader gives up in the middle of a streamed file, and stops git', async () => {
    repo = makeRepo({ 'a.txt': 'a' });
    writeFileSync(join(repo.dir, 'big.bin'), randomBytes(20 * 1024 * 1024));
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'big');
    const sha = repo.head();
    const archive = streamArchive(repo.dir, sha, { streamAbove: 1024 });
    await new Promise<void>((resolve) => archive.body.once('data', () => resolve()));
    archive.body.destroy();
    await expect(archive.done).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 300));
    expect(archivingProcesses(sha)).toEqual([]);
  });

  it('streams big files with data descriptors, as git does for files over its big-file threshold', async () => {
    repo = richRepo();
    const sha = repo.head();
    const bytes = await ours(repo, sha, 1024);
    const mine = readZipLayout(bytes);
    const gitBytes = gits(repo, sha);
    const theirs = readZipLayout(gitBytes);
    const streamed = mine.entries.filter((e) => e.flags & 8).map((e) => [e.name, e.method]);
    // Random-looking content is stored, the rest deflated.
    expect(streamed).toEqual([
      ['README.md', 8],
      ['assets/random.bin', 0],
      ['data/blob.bin', 8],
    ]);
    // What deploys unpack with (yauzl) reads the same files as from git's zip.
    const file = join(repo.home, 'streamed.zip');
    writeFileSync(file, bytes);
    const gitFile = join(repo.home, 'git.zip');
    writeFileSync(gitFile, gitBytes);
    expect(await zipFiles(file)).toEqual(await zipFiles(gitFile));
    expect(mine.entries.map((e) => [e.name, e.content])).toEqual(theirs.entries.map((e) => [e.name, e.content]));
    expect(mine.entries.map((e) => e.externalAttributes)).toEqual(theirs.entries.map((e) => e.externalAttributes));
  });

  it('writes zip64 end records for more than 65,535 entries, as git does', async () => {
    repo = makeRepo({ 'a.txt': 'a' });
    const empty = repo.git('hash-object', '-w', '--stdin');
    const listing = Array.from({ length: 70_000 }, (_, i) => `100644 blob ${empty}\tf${String(i).padStart(5, '0')}\n`).join('');
    const tree = execFileSync('git', ['mktree'], { cwd: repo.dir, env: repo.env, input: listing, encoding: 'utf8' }).trim();
    const commit = repo.git('commit-tree', tree, '-m', 'many');
    const mineBytes = await ours(repo, commit);
    const theirsBytes = gits(repo, commit);
    expect(readZipLayout(mineBytes).entries).toHaveLength(70_000);
    // Nothing is compressed here, so the whole file is git's, byte for byte.
    expect(mineBytes.equals(theirsBytes)).toBe(true);
  }, 60_000);
});

describe('tarToZip', () => {
  const sinkInto = (chunks: Buffer[]) => async (c: Buffer) => {
    chunks.push(c);
  };

  it('rejects input that is not a tar', async () => {
    const garbage = Readable.from([Buffer.from('this is not a tar archive'.repeat(40))]);
    await expect(tarToZip(garbage, sinkInto([]), { comment: '' })).rejects.toThrow();
  });

  it('rejects when the tar stream fails midway', async () => {
    const p = pack();
    p.entry({ name: 'a.txt' }, 'abcd'.repeat(1000));
    p.finalize();
    const whole: Buffer[] = [];
    for await (const c of p as unknown as AsyncIterable<Buffer>) whole.push(c);
    const tar = new PassThrough();
    tar.write(Buffer.concat(whole).subarray(0, 2000)); // the header and part of the content
    setTimeout(() => tar.destroy(new Error('git died')), 10);
    await expect(tarToZip(tar, sinkInto([]), { comment: '' })).rejects.toThrow('git died');
  });

  it('stops when the sink fails, with the sink error', async () => {
    const p = pack();
    for (let i = 0; i < 20; i++) p.entry({ name: `f${i}.txt` }, 'content '.repeat(100));
    p.finalize();
    const failing = async () => {
      throw new Error('upload failed');
    };
    await expect(tarToZip(p as unknown as Readable, failing, { comment: '' })).rejects.toThrow('upload failed');
  });
});
