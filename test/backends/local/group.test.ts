import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalComputeGroup } from '../../../src/backends/local/group.js';
import { exitCodeOf } from '../../../src/model/errors.js';
import { acquireGroupLock } from '../../../src/backends/local/lock.js';
import type { LocalDeploymentFile } from '../../../src/backends/local/deployment-file.js';
import { newDeploymentId, writeRecord } from '../../../src/backends/local/records.js';
import { makeRepo, type TempRepo } from '../../support/repo.js';
import { ALL_HOOKS, appspec, archive, commitApp, HOOK_SCRIPT, localGroup, loggingApp, metaFor, zipStore } from '../../support/deploy-fixtures.js';

let repo: TempRepo;
let groupDir: string;
let log: string;

beforeEach(() => {
  repo = makeRepo();
  groupDir = join(repo.home, 'groups', 'dev');
  log = join(repo.home, 'hooks.log');
  process.env.HOOK_LOG = log;
});
afterEach(() => repo.cleanup());

const readLog = () =>
  existsSync(log)
    ? readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(' '))
    : [];
const record = (arn: string): LocalDeploymentFile => JSON.parse(readFileSync(join(groupDir, 'deployments', `${arn.split(':').pop()}.json`), 'utf8'));
const current = () => readlinkSync(join(groupDir, 'current'));

async function deploy(group: LocalComputeGroup, rev: string) {
  const rec = await group.deploy({ revision: archive(repo, rev), store: zipStore });
  return { rec, arn: 'executionArn' in rec.id ? rec.id.executionArn : '' };
}

describe('local compute group', () => {
  it('runs the hooks in CodeDeploy order with the agent variables, ApplicationStop from the previous release', async () => {
    const group = new LocalComputeGroup(localGroup(groupDir), 'sample');
    const rev1 = commitApp(repo, 'one', loggingApp(), ['scripts/hook.sh']);
    const first = await deploy(group, rev1);
    expect(first.rec.status.deployStatus).toBe('SUCCEEDED');
    expect(first.arn).toMatch(/^arn:ionflow:local:dev:d-/);
    // No previous release: no ApplicationStop.
    expect(readLog().map((l) => l[0])).toEqual(ALL_HOOKS.slice(1));

    const rev2 = commitApp(repo, 'two', { 'src/app.clj': '(ns app) ;; 2\n' });
    const second = await deploy(group, rev2);
    const lines = readLog().slice(4);
    expect(lines.map((l) => l[0])).toEqual(ALL_HOOKS);
    const id2 = second.arn.split(':').pop();
    for (const [event, id, app, grp, folder] of lines) {
      expect([id, app, grp]).toEqual([id2, 'sample', 'dev']);
      expect(folder).toBe(event === 'ApplicationStop' ? rev1 : rev2);
    }
    expect(current()).toBe(join('releases', rev2));
    const rec = record(second.arn);
    expect(rec).toMatchObject({ status: 'SUCCEEDED', rev: rev2, previous: rev1, group: 'dev' });
    expect(rec.hooks.map((h) => [h.event, h.exitCode, h.release])).toEqual(ALL_HOOKS.map((e) => [e, 0, e === 'ApplicationStop' ? rev1 : rev2]));
    expect(rec.finishedAt).toBeDefined();
  });

  it('keeps the previous release current when ValidateService fails, recording FAILED with the output', async () => {
    const group = new LocalComputeGroup(localGroup(groupDir), 'sample');
    const rev1 = commitApp(repo, 'one', loggingApp(), ['scripts/hook.sh']);
    await deploy(group, rev1);
    const rev2 = commitApp(
      repo,
      'broken',
      {
        'scripts/validate.sh': '#!/bin/sh\necho "health check failed on port 8080" >&2\nexit 3\n',
        'appspec.yml': appspec({ ApplicationStart: 'scripts/hook.sh', ValidateService: 'scripts/validate.sh' }),
      },
      ['scripts/validate.sh'],
    );
    const failed = await deploy(group, rev2);
    expect(failed.rec.status).toEqual({
      deployStatus: 'FAILED',
      codeDeployStatus: 'FAILED',
      error: 'ValidateService hook scripts/validate.sh exited with 3: health check failed on port 8080',
      failure: {
        event: 'ValidateService',
        target: 'dev',
        script: 'scripts/validate.sh',
        exitCode: 3,
        message: 'ValidateService hook scripts/validate.sh exited with 3: health check failed on port 8080',
        logTail: 'health check failed on port 8080',
      },
    });
    expect(current()).toBe(join('releases', rev1));
    const rec = record(failed.arn);
    expect(rec.status).toBe('FAILED');
    expect(rec.hooks.at(-1)).toMatchObject({ event: 'ValidateService', exitCode: 3, outputTail: 'health check failed on port 8080' });
    expect(await group.status({ executionArn: failed.arn })).toMatchObject({ deployStatus: 'FAILED' });
  });

  it('keeps executable bits and symlinks from the zip, and prunes to keep-releases', async () => {
    const group = new LocalComputeGroup(localGroup(groupDir, 'dev', 2), 'sample');
    symlinkSync('bin/run', join(repo.dir, 'run-link'));
    const revs = [commitApp(repo, 'files', { 'bin/run': '#!/bin/sh\necho run\n', 'README.md': 'hi\n' }, ['bin/run'])];
    revs.push(commitApp(repo, 'b', { 'b.txt': 'b' }), commitApp(repo, 'c', { 'c.txt': 'c' }));
    for (const rev of revs) expect((await deploy(group, rev)).rec.status.deployStatus).toBe('SUCCEEDED');
    const release = join(groupDir, 'releases', revs[2]!);
    expect(statSync(join(release, 'bin/run')).mode & 0o777).toBe(0o755);
    expect(statSync(join(release, 'README.md')).mode & 0o111).toBe(0);
    expect(lstatSync(join(release, 'run-link')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(release, 'run-link'))).toBe('bin/run');
    expect(readdirSync(join(groupDir, 'releases')).sort()).toEqual([revs[1], revs[2]].sort());
    const history = await group.history();
    expect(history.map((h) => h.name)).toEqual([...revs].reverse());
  });

  it('fails a hook that outlives its timeout, killing it', async () => {
    const group = new LocalComputeGroup(localGroup(groupDir), 'sample');
    const rev = commitApp(
      repo,
      'slow',
      { 'appspec.yml': appspec({ ApplicationStart: 'scripts/slow.sh' }, 1), 'scripts/slow.sh': '#!/bin/sh\necho starting\nexec sleep 20\n' },
      ['scripts/slow.sh'],
    );
    const started = Date.now();
    const { rec } = await deploy(group, rev);
    expect(Date.now() - started).toBeLessThan(8000);
    expect(rec.status.deployStatus).toBe('FAILED');
    expect(rec.status.error).toMatch(/ApplicationStart hook scripts\/slow.sh timed out after 1s/);
    expect(existsSync(join(groupDir, 'current'))).toBe(false);
  });

  it('runs a hook script that git did not mark executable, as the agent does', async () => {
    const group = new LocalComputeGroup(localGroup(groupDir), 'sample');
    const rev = commitApp(repo, 'plain', { 'appspec.yml': appspec({ AfterInstall: 'scripts/hook.sh' }), 'scripts/hook.sh': HOOK_SCRIPT });
    const { rec } = await deploy(group, rev);
    expect(rec.status.deployStatus).toBe('SUCCEEDED');
    expect(readLog().map((l) => l[0])).toEqual(['AfterInstall']);
  });

  it('an interrupted deployment is recorded ABORTED, its hook killed, and current is left alone', async () => {
    const group = new LocalComputeGroup(localGroup(groupDir), 'sample');
    const rev1 = commitApp(repo, 'one', loggingApp(), ['scripts/hook.sh']);
    await deploy(group, rev1);
    const rev2 = commitApp(
      repo,
      'hangs',
      { 'appspec.yml': appspec({ ApplicationStart: 'scripts/hang.sh' }), 'scripts/hang.sh': '#!/bin/sh\nexec sleep 30\n' },
      ['scripts/hang.sh'],
    );
    const controller = new AbortController();
    const started = Date.now();
    const deploying = group.deploy({ revision: archive(repo, rev2), store: zipStore, signal: controller.signal });
    setTimeout(() => controller.abort(), 500);
    const err = await deploying.catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(8000);
    expect(exitCodeOf(err)).toBe(130);
    const [latest] = await group.history(1);
    expect(latest!.status).toEqual({ deployStatus: 'ABORTED', codeDeployStatus: 'STOPPED', error: 'interrupted' });
    expect(current()).toBe(join('releases', rev1));
  });

  it('a deployment whose deployer was killed reads ABORTED in history, history --json records and status alike', async () => {
    const group = new LocalComputeGroup(localGroup(groupDir), 'sample');
    // What `kill -9` of a deployer leaves: a RUNNING record, and no lock holder.
    const id = newDeploymentId();
    const orphan: LocalDeploymentFile = {
      id,
      executionArn: `arn:ionflow:local:dev:${id}`,
      group: 'dev',
      appName: 'sample',
      name: 'crashed',
      uname: 'crashed',
      status: 'RUNNING',
      startedAt: new Date().toISOString(),
      hooks: [],
    };
    await writeRecord(groupDir, orphan);
    const aborted = { deployStatus: 'ABORTED', codeDeployStatus: 'STOPPED', error: 'the deploying process ended before the deployment finished' };
    expect((await group.history())[0]!.status).toEqual(aborted);
    expect((await group.records())[0]!.status).toEqual(aborted);
    expect(await group.status({ executionArn: orphan.executionArn })).toEqual(aborted);

    // While a live deployer holds the lock, its own (newest) record is RUNNING; the orphan stays ABORTED.
    const release = await acquireGroupLock(groupDir, { group: 'dev', owner: 'test' });
    try {
      const liveId = newDeploymentId(new Date(Date.now() + 1000));
      await writeRecord(groupDir, { ...orphan, id: liveId, executionArn: `arn:ionflow:local:dev:${liveId}`, name: 'live', uname: 'live' });
      const statuses = (await group.history()).map((r) => [r.name, r.status.deployStatus]);
      expect(statuses).toEqual([
        ['live', 'RUNNING'],
        ['crashed', 'ABORTED'],
      ]);
    } finally {
      await release();
    }
  });

  it('a deployer killed with -9 reads ABORTED at once, though its lock is still fresh', async () => {
    const group = new LocalComputeGroup(localGroup(groupDir), 'sample');
    const dead = spawnSync('true').pid!; // a pid that has just exited
    const release = await acquireGroupLock(groupDir, { group: 'dev', owner: `pid ${dead} on ${hostname()} deploying killed` });
    try {
      const id = newDeploymentId();
      await writeRecord(groupDir, {
        id,
        executionArn: `arn:ionflow:local:dev:${id}`,
        group: 'dev',
        appName: 'sample',
        name: 'killed',
        uname: 'killed',
        status: 'RUNNING',
        startedAt: new Date().toISOString(),
        hooks: [],
      });
      expect((await group.history())[0]!.status.deployStatus).toBe('ABORTED');
    } finally {
      await release();
    }
  });

  it('a redeploy of the current revision whose ValidateService fails leaves current on the complete, unchanged release', async () => {
    const group = new LocalComputeGroup(localGroup(groupDir), 'sample');
    const flag = join(repo.home, 'validate-fails');
    process.env.VALIDATE_FLAG = flag;
    const rev = commitApp(
      repo,
      'flaky validate',
      {
        ...loggingApp(),
        'appspec.yml': appspec({ ApplicationStart: 'scripts/hook.sh', ValidateService: 'scripts/validate.sh' }),
        'scripts/validate.sh': '#!/bin/sh\nif [ -e "$VALIDATE_FLAG" ]; then echo "unhealthy" >&2; exit 1; fi\n',
      },
      ['scripts/hook.sh', 'scripts/validate.sh'],
    );
    expect((await deploy(group, rev)).rec.status.deployStatus).toBe('SUCCEEDED');
    const running = join(groupDir, 'current');
    // State the running release keeps (what a service writes next to itself).
    writeFileSync(join(running, 'state.txt'), 'kept\n');
    const files = () => readdirSync(running, { recursive: true }).map(String).sort();
    const before = files();

    writeFileSync(flag, '');
    const failed = await deploy(group, rev);
    expect(failed.rec.status).toMatchObject({
      deployStatus: 'FAILED',
      error: expect.stringMatching(/^ValidateService hook scripts\/validate.sh exited with 1/),
    });
    expect(current()).toBe(join('releases', rev));
    expect(files()).toEqual(before);
    expect(readFileSync(join(running, 'state.txt'), 'utf8')).toBe('kept\n');
    expect(readFileSync(join(running, 'src/app.clj'), 'utf8')).toBe('(ns app)\n');

    // A successful redeploy of the current revision switches to a fresh copy of it.
    rmSync(flag);
    const ok = await deploy(group, rev);
    expect(ok.rec.status.deployStatus).toBe('SUCCEEDED');
    expect(current()).toMatch(new RegExp(`^releases/${rev}\\.d-`));
    expect(existsSync(join(running, 'state.txt'))).toBe(false);
    expect(readFileSync(join(running, 'src/app.clj'), 'utf8')).toBe('(ns app)\n');
    // A uname redeployed with new content gets the new content.
    const uname = metaFor('alice', archive(repo, rev).location);
    await group.deploy({ revision: uname, store: zipStore });
    const next = commitApp(repo, 'v2', { 'src/app.clj': '(ns app) ;; v2\n' });
    expect((await group.deploy({ revision: metaFor('alice', archive(repo, next).location), store: zipStore })).status.deployStatus).toBe('SUCCEEDED');
    expect(readFileSync(join(running, 'src/app.clj'), 'utf8')).toBe('(ns app) ;; v2\n');
  });
});
