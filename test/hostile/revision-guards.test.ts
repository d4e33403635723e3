// Hostile revisions in a local store (SPEC §17), deployed with the built
// binary: link chains, a hook script that is a link, a zip that is not what
// its metadata says, and revisions too large for the group. Each is refused
// with exit 1 before the running release's ApplicationStop, and nothing of it
// is installed.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { appspec, cliRepo, DEPLOY_YAML, readLines } from '../support/deploy-fixtures.js';
import { runCli } from '../support/cli.js';
import type { TempRepo } from '../support/repo.js';
import { type ZipEntrySpec, zipBuffer } from '../support/zip-writer.js';

let app: ReturnType<typeof cliRepo>;
let repo: TempRepo | undefined;
let rev: string;
let groupDir: string;
const cli = (...args: string[]) => runCli(args, { cwd: app.repo.dir, env: app.env });

/** deploy.yaml's dev group, with a max-unpacked-size. */
const withLimit = (size: string) => DEPLOY_YAML.replace('keep-releases: 3', `keep-releases: 3\n    max-unpacked-size: ${size}`);

/** Put a crafted revision in the store, with metadata true to it (unless `meta` says otherwise). */
function storeRevision(uname: string, entries: ZipEntrySpec[], meta: Record<string, unknown> = {}): Buffer {
  const zip = zipBuffer(entries);
  const folder = join(app.repo.dir, '.ionflow/store/sample');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, `${uname}.zip`), zip);
  const json = {
    name: uname,
    uname,
    appName: 'sample',
    sha256: createHash('sha256').update(zip).digest('hex'),
    size: zip.length,
    fileCount: entries.length,
    pushedAt: new Date().toISOString(),
    tree: '',
    entryPoints: null,
    location: join(folder, `${uname}.zip`),
    ...meta,
  };
  writeFileSync(join(folder, `${uname}.json`), JSON.stringify(json));
  return zip;
}

const releases = () => readdirSync(join(groupDir, 'releases')).sort();

/**
 * Deploy `uname` and check it was refused before anything stopped: exit 1,
 * the error, the same releases and `current`, and no hook ran (the running
 * release's ApplicationStop included).
 */
async function refused(uname: string, error: RegExp) {
  const before = { releases: releases(), current: readlinkSync(join(groupDir, 'current')), hooks: readLines(app.log).length };
  const res = await cli('deploy', '--group', 'dev', '--uname', uname);
  expect(res.code, res.stderr.slice(0, 2000)).toBe(1);
  expect(res.stderr).toMatch(error);
  expect({ releases: releases(), current: readlinkSync(join(groupDir, 'current')), hooks: readLines(app.log).length }).toEqual(before);
  return res;
}

// One group for the whole file, its first release deployed: the refused
// revisions change nothing, and the accepted ones come last.
beforeAll(async () => {
  app = cliRepo();
  repo = app.repo;
  rev = app.repo.head();
  groupDir = join(app.repo.dir, '.ionflow/groups/dev');
  expect((await cli('push')).code).toBe(0);
  expect((await cli('deploy', '--group', 'dev', '--rev', rev)).code).toBe(0);
});
afterAll(() => repo?.cleanup());
afterEach(() => writeFileSync(join(app.repo.dir, 'deploy.yaml'), DEPLOY_YAML));

describe('links in a revision', () => {
  it('refuses a link chain through a link to ".", and a 400 KB target, in linear time', async () => {
    const deep = `${'a/'.repeat(200_000)}f`;
    storeRevision('chain', [
      { name: 'x', kind: 'symlink', data: '.' },
      { name: 'x/x/x/l', kind: 'symlink', data: '../../../../etc/passwd' },
      { name: 'a', kind: 'symlink', data: '.' },
      { name: 'deep', kind: 'symlink', data: deep },
      { name: 'up', kind: 'symlink', data: `${'b/'.repeat(100_000)}${'../'.repeat(100_001)}etc/passwd` },
    ]);
    const started = Date.now();
    const res = await refused('chain', /FAILED: refused to unpack/);
    expect(Date.now() - started).toBeLessThan(15_000); // a whole CLI deploy; quadratic took minutes
    expect(res.stderr).toContain('"x/x/x/l" would be written through the link "x"');
    expect(res.stderr).toContain('"deep" is a link going through the link "a"');
    expect(res.stderr).toContain('"up" is a link pointing outside the release');
  });
});

describe('a revision that does not match its metadata', () => {
  it('a tampered zip of the same size: exit 1, nothing installed', async () => {
    const zip = storeRevision('tampered', [
      { name: 'appspec.yml', data: 'version: 0.0\n' },
      { name: 'a.txt', data: 'good' },
    ]);
    const bad = Buffer.from(zip);
    bad[bad.indexOf('good')] = 'e'.charCodeAt(0);
    writeFileSync(join(app.repo.dir, '.ionflow/store/sample/tampered.zip'), bad);
    const sha = createHash('sha256').update(bad).digest('hex');
    await refused(
      'tampered',
      new RegExp(`revision tampered in the store does not match its metadata \\(sha256 ${sha}, metadata says [0-9a-f]{64}\\); push it again with --force`),
    );
  });

  it('a tampered deflated entry is reported as the mismatch it is, not as a broken zip', async () => {
    const zip = storeRevision('tampered2', [{ name: 'a.txt', data: 'abc'.repeat(500), deflate: true }]);
    const bad = Buffer.from(zip);
    bad[30 + 'a.txt'.length + 2]! ^= 0xff; // inside the deflate stream
    writeFileSync(join(app.repo.dir, '.ionflow/store/sample/tampered2.zip'), bad);
    await refused('tampered2', /revision tampered2 in the store does not match its metadata \(sha256 [0-9a-f]{64}, metadata says [0-9a-f]{64}\)/);
  });

  it('metadata with another size or another name: exit 1, nothing installed', async () => {
    storeRevision('sized', [{ name: 'a.txt', data: 'x' }], { size: 5 });
    await refused('sized', /revision sized in the store does not match its metadata \(size \d+ bytes, metadata says 5\); push it again with --force/);
    storeRevision('named', [{ name: 'a.txt', data: 'x' }], { name: 'other' });
    await refused('named', /error: revision named in the store does not match its metadata \(name other\); push it again with --force/);
  });
});

const files = (total: number): ZipEntrySpec[] => [
  { name: 'a.txt', data: 'a'.repeat(total - 1000) },
  { name: 'b.txt', data: 'b'.repeat(1000) },
];

describe('max-unpacked-size', () => {
  it('a size written otherwise is exit 2 at its place in deploy.yaml', async () => {
    writeFileSync(join(app.repo.dir, 'deploy.yaml'), withLimit('8GB'));
    const res = await cli('validate');
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^deploy\.yaml:11:24: 'max-unpacked-size': "8GB" is not a size; write bytes, or a whole number and KiB, MiB, GiB or TiB/m);
  });

  it('refuses a revision just over the limit, before ApplicationStop', async () => {
    writeFileSync(join(app.repo.dir, 'deploy.yaml'), withLimit('4KiB'));
    storeRevision('over', files(4097));
    await refused('over', /revision over unpacks to 4 KiB \(4097 bytes\), over groups\.dev\.max-unpacked-size \(4 KiB\)/);
  });

  it('stops a zip whose headers understate what it unpacks to', async () => {
    writeFileSync(join(app.repo.dir, 'deploy.yaml'), withLimit('4096'));
    storeRevision('liar', [{ name: 'bomb.txt', data: 'z'.repeat(200_000), deflate: true, declaredSize: 100 }]);
    await refused('liar', /FAILED: revision liar unpacks to more than its zip's headers say/);
  });

  it('refuses a revision larger than the free space of the group file system', async () => {
    writeFileSync(join(app.repo.dir, 'deploy.yaml'), withLimit('1000TiB'));
    // 300 entries that each claim 4 GiB: 1.2 TiB, more than any test machine has free.
    const huge = Array.from({ length: 300 }, (_, i) => ({ name: `f${i}`, data: 'x', deflate: true, declaredSize: 0xfffffffe }));
    storeRevision('huge', huge);
    await refused('huge', /revision huge unpacks to 1\.2 TiB, but the file system of .* has only .* free/);
    expect(existsSync(join(groupDir, 'releases', 'huge'))).toBe(false);
  });
});

// These deploy (and run hooks), so they come after the refusals above, which
// expect the first release's ApplicationStop to be the one that would run.
describe('revisions that are deployed', () => {
  it('deploys a revision exactly at max-unpacked-size', async () => {
    writeFileSync(join(app.repo.dir, 'deploy.yaml'), withLimit('4KiB'));
    storeRevision('under', files(4096));
    const res = await cli('deploy', '--group', 'dev', '--uname', 'under');
    expect(res.code, res.stderr).toBe(0);
  });

  it('keeps links that stay inside, a link to a link included', async () => {
    storeRevision('fine', [
      { name: 'appspec.yml', data: 'version: 0.0\n' },
      { name: 'lib/libfoo.so.1.2', data: 'elf' },
      { name: 'lib/libfoo.so.1', kind: 'symlink', data: 'libfoo.so.1.2' },
      { name: 'lib/libfoo.so', kind: 'symlink', data: 'libfoo.so.1' },
    ]);
    const res = await cli('deploy', '--group', 'dev', '--uname', 'fine');
    expect(res.code, res.stderr).toBe(0);
    expect(readFileSync(join(groupDir, 'current/lib/libfoo.so'), 'utf8')).toBe('elf');
  });

  it('never runs or chmods a hook script that is a link', async () => {
    storeRevision('hooklink', [
      { name: 'appspec.yml', data: appspec({ ApplicationStart: 'run.sh' }) },
      { name: 'real.sh', data: `#!/bin/sh\necho ran >> "${app.log}"\n`, mode: 0o644 },
      { name: 'run.sh', kind: 'symlink', data: 'real.sh' },
    ]);
    const res = await cli('deploy', '--group', 'dev', '--uname', 'hooklink');
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('ApplicationStart hook run.sh failed: run.sh is a link');
    expect(readLines(app.log)).not.toContain('ran');
    const release = releases().find((r) => r.startsWith('hooklink'))!;
    expect(statSync(join(groupDir, 'releases', release, 'real.sh')).mode & 0o777).toBe(0o644);
  });
});
