// SPEC §17: config paths stay inside the repository, store and group folders
// inside deploy.yaml's folder (or absolute, but never the repository or
// another's folder), and deploy.yaml / ion-config.edn are regular files of at
// most 1 MiB. `ion-config: /proc/self/environ` printed the environment, and a
// FIFO named deploy.yaml hung validate forever.

import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { cleanUpRepos, inRepo, problemLines } from '../support/hostile.js';

cleanUpRepos();

const SECRET = 'hostile-secret-4b9f';
const GROUP = '  dev: { app: shop, local: .ionflow/groups/dev }\n';
const config = (app: string, groups = GROUP) => `version: 1\napps:\n  shop:\n${app}\ngroups:\n${groups}`;

describe('config paths', () => {
  it('refuses ion-config: /proc/self/environ without reading it', async () => {
    const repo = inRepo({ 'deploy.yaml': config('    ion-config: /proc/self/environ') });
    const r = await runCli(['validate'], { cwd: repo.dir, env: { ...repo.env, AWS_SECRET_ACCESS_KEY: SECRET } });
    expect(r.code).toBe(2);
    expect(problemLines(r.stderr)).toEqual([
      `deploy.yaml:4:17: ion-config "/proc/self/environ" leads outside the repository (${repo.dir}); write a file inside it`,
    ]);
    expect(r.stderr).not.toContain(SECRET);
  });

  it('refuses an ion-config.edn that links to a file outside the repository', async () => {
    const repo = inRepo({ 'deploy.yaml': config('    root: .') });
    writeFileSync(join(repo.home, 'secret.edn'), `{:app-name "${SECRET}" oops}`);
    mkdirSync(join(repo.dir, 'resources/datomic'), { recursive: true });
    symlinkSync(join(repo.home, 'secret.edn'), join(repo.dir, 'resources/datomic/ion-config.edn'));
    const r = await runCli(['validate'], { cwd: repo.dir, env: repo.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ion-config "resources/datomic/ion-config.edn" leads outside the repository');
    expect(r.stderr).not.toContain(SECRET);
  });

  it('refuses roots outside the repository and store or group folders that escape or overlap', async () => {
    const repo = inRepo({
      'deploy.yaml': `version: 1
apps:
  shop:
    root: ../..
    store: { local: ../store }
  web:
    store: { local: /etc/.. }
  api: {}
groups:
  a: { app: shop, local: .ionflow/store }
  b: { app: shop, local: .ionflow/groups/b }
  c: { app: shop, local: .ionflow/groups/b/nested }
  d: { app: shop, local: . }
  e: { app: shop, local: ../elsewhere }
  f: { app: shop, local: .ionflow/groups }
  g: { app: shop, local: .ionflow/groups/bb }
`,
    });
    const r = await runCli(['validate'], { cwd: repo.dir, env: repo.env });
    expect(r.code).toBe(2);
    expect(problemLines(r.stderr)).toEqual([
      `deploy.yaml:4:11: root "../.." leads outside the repository (${repo.dir}); write a folder inside it`,
      `deploy.yaml:5:21: store folder "../store" leads outside deploy.yaml's folder; write a folder inside it, or an absolute path`,
      'deploy.yaml:7:21: store folder "/etc/.." holds the repository; write a folder of its own (like .ionflow/groups/dev)',
      `deploy.yaml:10:26: group folder ".ionflow/store" overlaps the store of app 'api' (.ionflow/store); give the group a folder of its own`,
      `deploy.yaml:12:26: group folder ".ionflow/groups/b/nested" overlaps the folder of group 'b'; give each group a folder of its own`,
      `deploy.yaml:13:26: group folder "." is deploy.yaml's own folder; write a folder of its own (like .ionflow/groups/dev)`,
      `deploy.yaml:14:26: group folder "../elsewhere" leads outside deploy.yaml's folder; write a folder inside it, or an absolute path`,
      // A folder holding an earlier group's overlaps it too; a name that merely starts the same does not.
      `deploy.yaml:15:26: group folder ".ionflow/groups" overlaps the folder of group 'b'; give each group a folder of its own`,
    ]);
  });

  it('accepts an absolute group folder outside the repository', async () => {
    const repo = inRepo({});
    repo.write({ 'deploy.yaml': config('    root: .', `  dev: { app: shop, local: ${join(repo.home, 'groups/dev')} }\n`) });
    const r = await runCli(['validate'], { cwd: repo.dir, env: repo.env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('config files', () => {
  it('refuses a FIFO as deploy.yaml or ion-config.edn at once', async () => {
    const repo = inRepo({});
    execFileSync('mkfifo', [join(repo.dir, 'deploy.yaml')]);
    const yaml = await runCli(['validate'], { cwd: repo.dir, env: repo.env, timeoutMs: 10_000 });
    expect(yaml.signal).toBeNull();
    expect(yaml.code).toBe(2);
    expect(yaml.stderr).toBe('error: deploy.yaml is a FIFO, not a regular file\n');

    const other = inRepo({ 'deploy.yaml': config('    root: .') });
    mkdirSync(join(other.dir, 'resources/datomic'), { recursive: true });
    execFileSync('mkfifo', [join(other.dir, 'resources/datomic/ion-config.edn')]);
    const edn = await runCli(['validate'], { cwd: other.dir, env: other.env, timeoutMs: 10_000 });
    expect(edn.code).toBe(2);
    expect(edn.stderr).toBe('error: resources/datomic/ion-config.edn is a FIFO, not a regular file\n');
  });

  it('refuses a deploy.yaml that is a device', async () => {
    const repo = inRepo({});
    symlinkSync('/dev/zero', join(repo.dir, 'deploy.yaml'));
    const r = await runCli(['validate'], { cwd: repo.dir, env: repo.env, timeoutMs: 10_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: deploy.yaml is a device, not a regular file\n');
  });

  it('reads a deploy.yaml of exactly 1 MiB, refuses one byte more', async () => {
    const head = config('    root: .');
    const padded = (size: number) => `${head}${'#'.repeat(size - head.length - 1)}\n`;
    const repo = inRepo({ 'deploy.yaml': padded(1024 * 1024) });
    const under = await runCli(['validate'], { cwd: repo.dir, env: repo.env });
    expect(under.stderr).toBe('');
    expect(under.code).toBe(0);
    repo.write({ 'deploy.yaml': padded(1024 * 1024 + 1) });
    const over = await runCli(['validate'], { cwd: repo.dir, env: repo.env });
    expect(over.code).toBe(2);
    expect(over.stderr).toBe('error: deploy.yaml is larger than 1 MiB (1048576 bytes); ionflow reads config files up to that size\n');
  });
});
