// `ionflow init` end to end: the starter deploy.yaml validates, is named
// from ion-config.edn, and an existing deploy.yaml is never overwritten.

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { runCli } from '../support/cli.js';
import { makeRepo, makeTempDir } from '../support/repo.js';

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});
const project = (name: string, files: Record<string, string> = {}) => {
  const base = makeTempDir();
  temps.push(base);
  const dir = join(base, name);
  for (const [path, text] of Object.entries({ '.keep': '', ...files })) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
};

describe('ionflow init', () => {
  it('ends with the exact git command that commits its files; run that, and ionflow run dev works (init → commit → run)', async () => {
    const repo = makeRepo({ 'src/app.clj': '(ns app)\n' });
    temps.push(repo.home);
    const r = await runCli(['init'], { cwd: repo.dir, env: repo.env });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.trimEnd().split('\n');
    const commit = '  git add deploy.yaml .gitignore && git commit -m "Add deploy.yaml for ionflow" -- deploy.yaml .gitignore';
    expect(lines.slice(-3)).toEqual(['next: commit them, so that a push of HEAD sees a clean tree:', commit, 'then: ionflow validate && ionflow run dev']);
    // init changed no git state: its files are untracked until the user commits them.
    expect(repo.git('status', '--porcelain')).toBe('?? .gitignore\n?? deploy.yaml');
    execFileSync('sh', ['-c', commit], { cwd: repo.dir, env: repo.env });
    const run = await runCli(['run', 'dev'], { cwd: repo.dir, env: repo.env });
    expect(run.code, run.stderr).toBe(0);

    // Outside a repository it starts with git init, in deploy.yaml's folder.
    const dir = project('svc');
    const other = await runCli(['-c', 'svc/deploy.yaml', 'init'], { cwd: join(dir, '..') });
    expect(other.stderr).toContain(
      '  git -C svc init && git -C svc add deploy.yaml .gitignore && git -C svc commit -m "Add deploy.yaml for ionflow" -- deploy.yaml .gitignore\n',
    );
  });

  it('names the app from ion-config.edn, and the result validates, lists and plans', async () => {
    const dir = project('anything', {
      'resources/datomic/ion-config.edn': '{:app-name "Shop_Ions" :lambdas {:f {:fn a.b/c}}}',
      'src/a/b.clj': '(ns a.b)\n\n(defn c [_] "c")\n',
    });
    const r = await runCli(['init'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(join(dir, 'deploy.yaml'), 'utf8');
    expect(text).toMatch(/^# yaml-language-server: \$schema=\S+deploy\.schema\.json\n/);
    expect(text).toContain('  shop_ions:\n');
    expect(text).toContain('    name: "Shop_Ions"\n');
    expect(text).toContain('# s3: { bucket:');
    expect(await runCli(['validate'], { cwd: dir })).toMatchObject({ code: 0, stdout: 'ok\n', stderr: '' });
    const list = JSON.parse((await runCli(['list', '--json'], { cwd: dir })).stdout);
    expect(list.pipelines[0].steps.map((s: { id: string }) => s.id)).toEqual(['push-shop_ions', 'deploy-dev', 'wait-dev']);
  });

  it('without ion-config.edn names the app after the folder and ignores .ionflow/', async () => {
    const dir = project('My_Service');
    const r = await runCli(['init'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'deploy.yaml'), 'utf8')).toContain('  my_service:\n');
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('.ionflow/\n');
    expect(await runCli(['validate'], { cwd: dir })).toMatchObject({ code: 0 });
  });

  it('keeps an existing .gitignore and does not repeat the entry', async () => {
    const dir = project('svc', { '.gitignore': 'target\n.ionflow/\n' });
    await runCli(['init'], { cwd: dir });
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('target\n.ionflow/\n');
  });

  it("points $schema at the project's own node_modules/ionflow when it has one", async () => {
    const dir = project('svc', { 'node_modules/ionflow/schemas/deploy.schema.json': '{}' });
    expect((await runCli(['init'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(join(dir, 'deploy.yaml'), 'utf8')).toMatch(
      /^# yaml-language-server: \$schema=\.\/node_modules\/ionflow\/schemas\/deploy\.schema\.json\n/,
    );
  });

  it('refuses to overwrite deploy.yaml (exit 3) and leaves it as it was', async () => {
    const dir = project('svc', { 'deploy.yaml': 'mine\n' });
    const r = await runCli(['init'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('error: deploy.yaml already exists; ionflow init does not overwrite it');
    expect(readFileSync(join(dir, 'deploy.yaml'), 'utf8')).toBe('mine\n');
  });

  it('writes to -c <file> when given', async () => {
    const dir = project('svc');
    const r = await runCli(['-c', 'ionflow.yaml', 'init'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'deploy.yaml'))).toBe(false);
    expect(await runCli(['-c', 'ionflow.yaml', 'validate'], { cwd: dir })).toMatchObject({ code: 0, stdout: 'ok\n' });
  });

  it('refuses with exit 2 when ion-config.edn is invalid', async () => {
    const dir = project('svc', { 'resources/datomic/ion-config.edn': '{:app-name 1' });
    const r = await runCli(['init'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('resources/datomic/ion-config.edn:1:1: invalid EDN');
    expect(existsSync(join(dir, 'deploy.yaml'))).toBe(false);
  });
});
