// loadConfig: discovery and the resolved DeployConfig (defaults, absolute
// paths, step ids and needs) that every later stage relies on.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { IonflowError } from '../../src/model/errors.js';
import { makeTempDir } from '../support/repo.js';

const GOOD = join(import.meta.dirname, '../fixtures/config/good');
const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

describe('defaults', () => {
  it('fills in every default of SPEC §3', async () => {
    const dir = join(GOOD, 'defaults');
    const c = await loadConfig({ cwd: dir });
    expect(c.file).toBe(join(dir, 'deploy.yaml'));
    expect(c.apps.shop).toEqual({
      key: 'shop',
      root: dir,
      ionConfig: join(dir, 'resources/datomic/ion-config.edn'),
      name: 'shop',
      store: { kind: 'local', dir: join(dir, '.ionflow/store') },
    });
    expect(c.groups.dev).toEqual({
      kind: 'local',
      key: 'dev',
      app: 'shop',
      keepReleases: 5,
      dir: join(dir, '.ionflow/groups/dev'),
      maxUnpackedSize: 8 * 1024 ** 3,
    });
    const steps = c.pipelines.dev!.steps;
    expect(steps.map((s) => [s.id, s.needs])).toEqual([
      ['push-shop', []],
      ['deploy-dev', ['push-shop']],
      ['wait-dev', ['deploy-dev']],
      ['run-1', ['wait-dev']],
      ['confirm-1', ['run-1']],
      ['run-2', []],
    ]);
    expect(steps[2]).toMatchObject({ kind: 'wait', group: 'dev', for: 'SUCCEEDED', timeoutMs: 30 * 60_000 });
    expect(steps[3]).toMatchObject({ kind: 'run', command: 'make check', cwd: dir, env: {} });
    expect(steps[5]).toMatchObject({ kind: 'run', command: ['echo', 'done'] });
    expect(steps[0]!.pos).toEqual({ file: 'deploy.yaml', line: 11, col: 9 });
  });

  it('takes the app-name from ion-config.edn and resolves aws groups', async () => {
    const dir = join(GOOD, 'ion-app-name');
    const c = await loadConfig({ cwd: join(dir, 'services') });
    expect(c.apps.web).toMatchObject({
      root: join(dir, 'services/web'),
      ionConfig: join(dir, 'services/web/resources/datomic/ion-config.edn'),
      name: 'web-ions',
      store: { kind: 's3', bucket: 'code', prefix: 'datomic/apps/', profile: 'prod' },
    });
    expect(c.groups.prod).toEqual({
      kind: 'aws',
      key: 'prod',
      app: 'web',
      keepReleases: 5,
      profile: 'prod',
      via: 'codedeploy',
      stateMachine: 'datomic-prod',
      deploymentGroup: 'prod',
      rollback: 'auto',
    });
    expect(c.profiles.prod).toEqual({ key: 'prod', awsProfile: undefined, region: 'eu-west-1', endpoints: { s3: 'http://127.0.0.1:4569' } });
    expect(c.pipelines.ship!.steps[2]).toMatchObject({ kind: 'wait', for: 'RUNNING', timeoutMs: 90_000, pollMs: 5_000 });
    expect(c.pipelines.ship!.description).toBe('Ship it');
  });

  it('resolves explicit needs, cwd, env and run timeouts', async () => {
    const dir = join(GOOD, 'graph');
    const c = await loadConfig({ cwd: dir });
    const [test, push, one, two, waitOne, waitTwo] = c.pipelines.fan!.steps;
    expect(test).toEqual(expect.objectContaining({ id: 'test', needs: [], cwd: join(dir, 'sub'), env: { CI: 'true', N: '3' }, timeoutMs: 600_000 }));
    expect([push!.needs, one!.needs, two!.needs, waitOne!.needs, waitTwo!.needs]).toEqual([['test'], ['push-a'], ['push-a'], ['deploy-one'], ['deploy-two']]);
    expect(c.groups.one).toMatchObject({ keepReleases: 2, dir: join(dir, 'g/one') });
    expect(c.apps.a!.store).toEqual({ kind: 'local', dir: join(dir, 'store') });
  });
});

describe('discovery', () => {
  it('finds deploy.yaml in the nearest parent folder', async () => {
    const c = await loadConfig({ cwd: join(GOOD, 'ion-app-name/services/web/resources') });
    expect(c.file).toBe(join(GOOD, 'ion-app-name/deploy.yaml'));
  });

  it('reports a missing deploy.yaml as a usage error with the init hint', async () => {
    const dir = makeTempDir();
    temps.push(dir);
    const err = await loadConfig({ cwd: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IonflowError);
    expect((err as IonflowError).exitCode).toBe(2);
    expect((err as IonflowError).message).toBe(`no deploy.yaml found in ${dir} or its parents`);
    expect((err as IonflowError).hint).toContain('ionflow init');
  });

  it('reports a missing -c file', async () => {
    const err = (await loadConfig({ config: 'nope.yaml', cwd: GOOD }).catch((e: unknown) => e)) as IonflowError;
    expect(err.kind).toBe('usage');
    expect(err.message).toBe('config file not found: nope.yaml');
  });

  it('reports deploy.yaml and ion-config.edn problems together', async () => {
    const dir = makeTempDir();
    temps.push(dir);
    mkdirSync(join(dir, 'resources/datomic'), { recursive: true });
    writeFileSync(join(dir, 'deploy.yaml'), 'version: 1\napps:\n  shop: {}\n  cart: { name: "" }\n');
    writeFileSync(join(dir, 'resources/datomic/ion-config.edn'), '{:app-name 42}\n');
    const err = (await loadConfig({ cwd: dir }).catch((e: unknown) => e)) as IonflowError;
    // both apps use the default ion-config.edn: its problem is reported once
    expect(err.message).toBe('2 problems in deploy.yaml, resources/datomic/ion-config.edn');
    expect(err.details.filter((l) => /^\S+:\d+:\d+: /.test(l))).toEqual([
      "deploy.yaml:4:17: 'name' must not be empty",
      'resources/datomic/ion-config.edn:1:12: :app-name must be a non-empty string',
    ]);
  });
});

describe('ion-dev apps and groups (SPEC §16)', () => {
  it('fills in the command and timeouts, takes creds from a profile, and names compute groups', async () => {
    const c = await loadConfig({ cwd: join(GOOD, 'ion-dev') });
    expect(c.apps.shop!.store).toEqual({
      kind: 'ion-dev',
      command: ['clojure', '-A:ion-dev'],
      timeouts: { push: 30 * 60_000, deploy: 5 * 60_000, status: 2 * 60_000 },
      dependencyConflicts: 'warn',
      allowConflicts: [],
    });
    expect(c.apps.billing!.store).toEqual({
      kind: 'ion-dev',
      command: ['clojure', '-M:ion-dev'],
      credsProfile: 'acme-prod',
      region: 'eu-west-1',
      timeouts: { push: 45 * 60_000, deploy: 5 * 60_000, status: 30_000 },
      dependencyConflicts: 'fail',
      allowConflicts: ['com.cognitect/transit-java'],
    });
    expect(c.groups['shop-query']).toEqual({ kind: 'ion-dev', key: 'shop-query', app: 'shop', keepReleases: 5, computeGroup: 'acme-query' });
    expect(c.groups['shop-primary']).toMatchObject({ kind: 'ion-dev', computeGroup: 'shop-primary' });
  });
});
