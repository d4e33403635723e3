import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IonflowError } from '../../../src/model/errors.js';
import { pushApp } from '../../../src/actions/push/push.js';
import { DIRTY_MESSAGE } from '../../../src/actions/push/push-state.js';
import { zipFiles, zipNames } from '../../support/zip-entries.js';
import { archivingProcesses } from '../../support/processes.js';
import { makeRepo, type TempRepo } from '../../support/repo.js';
import { pushConfig } from '../../support/push-config.js';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

const ION = '{:app-name "shop" :allow [shop.core/handler] :lambdas {:hello {:fn shop.core/hello}}}\n';

describe('pushApp with the local store', () => {
  it('pushes HEAD as git archive of the commit, byte-identical on a forced second push', async () => {
    repo = makeRepo({ '.gitignore': '.ionflow/\n', 'src/shop/core.clj': '(ns shop.core)', 'resources/datomic/ion-config.edn': ION });
    const config = pushConfig({ dir: repo.dir, groups: ['dev', 'qa'] });
    const sha = repo.head();
    const progress: string[] = [];
    const first = await pushApp(config, 'shop', { onProgress: (m) => progress.push(m) });
    expect(first.skipped).toBe(false);
    expect(first.deployGroups).toEqual(['dev', 'qa']);
    expect(first.meta).toMatchObject({ name: sha, rev: sha, appName: 'shop', fileCount: 3 });
    expect(first.meta.entryPoints).toMatchObject({ appName: 'shop', allow: ['shop.core/handler'] });
    const zip = join(repo.dir, '.ionflow/store/shop', `${sha}.zip`);
    expect(await zipNames(zip)).toEqual(repo.git('ls-tree', '-r', '--name-only', sha).split('\n').sort());
    const bytes = readFileSync(zip);
    expect(progress.join('\n')).toMatch(/archiving commit [0-9a-f]{40} → /);
    expect(progress).toContain('entry points: lambdas hello → shop.core/hello; allow shop.core/handler');

    const forced = await pushApp(config, 'shop', { force: true });
    expect(forced.skipped).toBe(false);
    expect(readFileSync(zip).equals(bytes)).toBe(true);
    expect(forced.meta.sha256).toBe(first.meta.sha256);
  });

  it('stops git when the store fails before reading the zip', async () => {
    // More than the zip writer holds (8 MiB) and the pipes buffer: git has to wait for a reader.
    repo = makeRepo({ 'a.txt': 'a' });
    for (let i = 0; i < 30; i++) writeFileSync(join(repo.dir, `f${i}.bin`), randomBytes(1024 * 1024));
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'big');
    writeFileSync(join(repo.home, 'not-a-folder'), '');
    const config = pushConfig({ dir: repo.dir, store: { kind: 'local', dir: join(repo.home, 'not-a-folder', 'store') } });
    await expect(pushApp(config, 'shop', { force: true })).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 300));
    expect(archivingProcesses(repo.head())).toEqual([]);
  });

  it('skips a second push of the same commit as up to date, and says so', async () => {
    repo = makeRepo({ 'a.txt': 'a' });
    const config = pushConfig({ dir: repo.dir });
    const first = await pushApp(config, 'shop');
    const progress: string[] = [];
    const second = await pushApp(config, 'shop', { onProgress: (m) => progress.push(m) });
    expect(second.skipped).toBe(true);
    expect(second.meta).toEqual(first.meta);
    expect(progress.join('\n')).toMatch(/same content: skipped \(up to date\)/);
  });

  it('pushes again, not skipped, when the recorded zip is missing or not the size recorded', async () => {
    repo = makeRepo({ 'a.txt': 'a'.repeat(5000) });
    const config = pushConfig({ dir: repo.dir });
    const first = await pushApp(config, 'shop');
    const zip = join(repo.dir, '.ionflow/store/shop', `${first.meta.name}.zip`);
    const bytes = readFileSync(zip);
    for (const damage of [() => rmSync(zip), () => writeFileSync(zip, bytes.subarray(0, 100))]) {
      damage();
      const progress: string[] = [];
      const again = await pushApp(config, 'shop', { onProgress: (m) => progress.push(m) });
      expect(again.skipped).toBe(false);
      expect(progress.join('\n')).toMatch(/its zip is missing or not the one recorded: pushing it again/);
      expect(readFileSync(zip).equals(bytes)).toBe(true);
    }
    expect((await pushApp(config, 'shop')).skipped).toBe(true);
  });

  it('names the metadata file that cannot be read', async () => {
    repo = makeRepo({ 'a.txt': 'a' });
    const config = pushConfig({ dir: repo.dir });
    const first = await pushApp(config, 'shop');
    const json = join(repo.dir, '.ionflow/store/shop', `${first.meta.name}.json`);
    writeFileSync(json, '{ not json');
    const err = (await pushApp(config, 'shop').catch((e: unknown) => e)) as IonflowError;
    expect(err).toBeInstanceOf(IonflowError);
    expect(err.message).toContain(`${json} is not revision metadata:`);
    expect(err.hint).toMatch(/--force/);
    expect(err.exitCode).toBe(1);
    // --force does not read it, and rewrites it.
    expect((await pushApp(config, 'shop', { force: true })).skipped).toBe(false);
    expect(JSON.parse(readFileSync(json, 'utf8'))).toMatchObject({ name: first.meta.name });
  });

  it('refuses a dirty tree (untracked files count) with the exact error, exit 3', async () => {
    repo = makeRepo({ 'a.txt': 'a' });
    repo.write({ 'notes.txt': 'not committed' });
    const err = (await pushApp(pushConfig({ dir: repo.dir }), 'shop').catch((e: unknown) => e)) as IonflowError;
    expect(err).toBeInstanceOf(IonflowError);
    expect(err.message).toBe(DIRTY_MESSAGE);
    expect(DIRTY_MESSAGE).toBe('You must either specify a uname or push from a clean git commit');
    expect(err.exitCode).toBe(3);
  });

  it('--rev pushes that commit as it is in git, whatever the working tree holds', async () => {
    repo = makeRepo({ 'a.txt': 'v1' });
    const old = repo.head();
    repo.commit('v2', { 'a.txt': 'v2', 'b.txt': 'b' });
    repo.write({ 'a.txt': 'dirty', 'c.txt': 'untracked' });
    const result = await pushApp(pushConfig({ dir: repo.dir }), 'shop', { rev: 'HEAD~1' });
    expect(result.meta.rev).toBe(old);
    const files = await zipFiles(join(repo.dir, '.ionflow/store/shop', `${old}.zip`));
    expect([...files.keys()]).toEqual(['a.txt']);
    expect(files.get('a.txt')?.toString()).toBe('v1');
  });

  it('an unknown --rev is a usage error', async () => {
    repo = makeRepo({ 'a.txt': 'a' });
    await expect(pushApp(pushConfig({ dir: repo.dir }), 'shop', { rev: 'no-such-branch' })).rejects.toMatchObject({
      kind: 'usage',
      message: '--rev no-such-branch does not name a commit of this repository',
    });
  });

  it('a uname push takes the working tree (untracked, not ignored) and changes neither index nor status', async () => {
    repo = makeRepo({ '.gitignore': '*.secret\n', 'a.txt': 'a' });
    repo.write({ 'new.clj': '(ns new)', 'key.secret': 'k' });
    const status = repo.git('status', '--porcelain');
    const index = readFileSync(join(repo.dir, '.git/index'));
    const storeDir = join(repo.home, 'store'); // outside the repo, so status can be compared as is
    const config = pushConfig({ dir: repo.dir, store: { kind: 'local', dir: storeDir } });
    const result = await pushApp(config, 'shop', { uname: 'janes-try' });
    expect(result.meta).toMatchObject({ name: 'janes-try', uname: 'janes-try', fileCount: 3 });
    expect(await zipNames(join(storeDir, 'shop/janes-try.zip'))).toEqual(['.gitignore', 'a.txt', 'new.clj']);
    expect(repo.git('status', '--porcelain')).toBe(status);
    expect(readFileSync(join(repo.dir, '.git/index')).equals(index)).toBe(true);
  });

  it("a uname push works when ionflow's own folders are gitignored (as init sets up), and leaves them out", async () => {
    repo = makeRepo({ '.gitignore': '.ionflow/\n', 'a.txt': 'a' });
    const config = pushConfig({ dir: repo.dir });
    await pushApp(config, 'shop'); // the store folder now exists, ignored by git
    repo.write({ 'new.clj': '(ns new)' });
    const result = await pushApp(config, 'shop', { uname: 'try-1' });
    expect(result.meta).toMatchObject({ name: 'try-1', fileCount: 3 });
    expect(await zipNames(join(repo.dir, '.ionflow/store/shop/try-1.zip'))).toEqual(['.gitignore', 'a.txt', 'new.clj']);
  });

  it('a uname push leaves out a store folder that git does not ignore', async () => {
    repo = makeRepo({ 'a.txt': 'a' });
    const config = pushConfig({ dir: repo.dir });
    await pushApp(config, 'shop', { uname: 'u1' });
    const second = await pushApp(config, 'shop', { uname: 'u2' });
    expect(second.meta.fileCount).toBe(1);
    expect(await zipNames(join(repo.dir, '.ionflow/store/shop/u2.zip'))).toEqual(['a.txt']);
  });

  it('a uname push of changed content replaces the stored one; unchanged content is skipped', async () => {
    repo = makeRepo({ 'a.txt': 'a' });
    const config = pushConfig({ dir: repo.dir });
    await pushApp(config, 'shop', { uname: 'u' });
    expect((await pushApp(config, 'shop', { uname: 'u' })).skipped).toBe(true);
    repo.write({ 'a.txt': 'changed' });
    const changed = await pushApp(config, 'shop', { uname: 'u' });
    expect(changed.skipped).toBe(false);
    const files = await zipFiles(join(repo.dir, '.ionflow/store/shop/u.zip'));
    expect(files.get('a.txt')?.toString()).toBe('changed');
  });

  it('a sub-folder app archives only its folder, relative paths, checks only that folder, named by the repo SHA', async () => {
    repo = makeRepo({ 'apps/shop/src/core.clj': '(ns core)', 'apps/shop/resources/datomic/ion-config.edn': ION, 'lib/x.txt': 'x' });
    repo.write({ 'lib/untracked.txt': 'outside the app folder' });
    const config = pushConfig({ dir: repo.dir, root: 'apps/shop' });
    const result = await pushApp(config, 'shop');
    expect(result.meta.rev).toBe(repo.head());
    expect(result.meta.tree).toBe(repo.git('rev-parse', 'HEAD:apps/shop'));
    expect(result.meta.entryPoints).toMatchObject({ appName: 'shop' });
    const zip = join(repo.dir, 'apps/shop/.ionflow/store/shop', `${repo.head()}.zip`);
    expect(await zipNames(zip)).toEqual(['resources/datomic/ion-config.edn', 'src/core.clj']);
    const bytes = readFileSync(zip);
    expect((await pushApp(config, 'shop')).skipped).toBe(true);
    expect((await pushApp(config, 'shop', { force: true })).skipped).toBe(false);
    expect(readFileSync(zip).equals(bytes)).toBe(true);
  });

  it('reads entry points from the pushed commit, not from the working tree', async () => {
    repo = makeRepo({ 'resources/datomic/ion-config.edn': ION });
    const sha = repo.head();
    repo.commit('later', { 'resources/datomic/ion-config.edn': '{:app-name "shop" :allow [shop.core/other]}\n' });
    const result = await pushApp(pushConfig({ dir: repo.dir }), 'shop', { rev: sha });
    expect(result.meta.entryPoints).toMatchObject({ allow: ['shop.core/handler'] });
  });

  it('errors for no commits yet, --rev with --uname, and a bad uname', async () => {
    repo = makeRepo({ 'a.txt': 'a' }, { commit: false });
    const config = pushConfig({ dir: repo.dir });
    await expect(pushApp(config, 'shop')).rejects.toMatchObject({ kind: 'precondition', message: 'the repository has no commits yet' });
    await expect(pushApp(config, 'shop', { rev: 'HEAD', uname: 'x' })).rejects.toMatchObject({ kind: 'usage' });
    await expect(pushApp(config, 'shop', { uname: '../escape' })).rejects.toMatchObject({ kind: 'usage' });
  });
});
