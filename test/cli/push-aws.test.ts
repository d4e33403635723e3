// `ionflow push` end to end with an S3 store: the built binary against
// s3rver (behind the fault proxy) and the fake CodeDeploy, configured through
// the standard AWS_ENDPOINT_URL_* variables.
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { parseEDNString } from 'edn-data';
import { describe, expect, it } from 'vitest';
import { zipNames } from '../support/zip-entries.js';
import { isUploadPart, useAwsHarness } from '../support/aws-harness.js';
import { runCli } from '../support/cli.js';
import type { TempRepo } from '../support/repo.js';

const aws = useAwsHarness({ groups: ['prod', 'staging'] });

const yaml = (bucket: string, awsProfile?: string, groups: Record<string, string> = {}) =>
  aws.deployYaml({
    bucket,
    prefix: 'datomic/apps/',
    profile: awsProfile ? { awsProfile } : {},
    groups: { staging: '', canary: 'deployment-group: staging', ...groups },
    pipelines: { ship: ['push: shop'] },
  });

function setup(files: Record<string, string> = {}, bucket = aws.s3.bucket, awsProfile?: string): TempRepo {
  // A unique file: temp repos have fixed dates, so equal content would mean equal SHAs across tests.
  return aws.repo({ 'deploy.yaml': yaml(bucket, awsProfile), 'src/core.clj': '(ns core)', 'id.txt': randomUUID(), ...files });
}

/** A repo whose zip takes several parts, so git is still streaming while the first ones upload. */
function bigRepo(): TempRepo {
  const r = setup();
  for (let i = 0; i < 3; i++) writeFileSync(join(r.dir, `blob-${i}.bin`), randomBytes(8 * 1024 * 1024));
  r.git('-c', 'core.looseCompression=0', 'add', '-A');
  r.git('commit', '-q', '-m', 'big');
  return r;
}

const env = (r: TempRepo) => aws.cliEnv(r);

/** s3rver itself, not through the fault proxy. */
const direct = () =>
  new S3Client({ endpoint: aws.s3.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });

const exists = (key: string) =>
  direct()
    .send(new HeadObjectCommand({ Bucket: aws.s3.bucket, Key: key }))
    .then(
      () => true,
      () => false,
    );

describe('ionflow push (S3 + CodeDeploy)', () => {
  it('uploads, registers, lists config and CodeDeploy groups; a second push is skipped but still registered', async () => {
    const r = setup();
    const sha = r.head();
    const first = await runCli(['push'], { cwd: r.dir, env: env(r) });
    expect(first.code).toBe(0);
    const map = parseEDNString(first.stdout.trim(), { mapAs: 'object', keywordAs: 'string' }) as Record<string, unknown>;
    expect(map).toMatchObject({
      rev: sha,
      // deploy.yaml's groups in its order (canary deploys to CodeDeploy's staging), then CodeDeploy's others.
      'deploy-groups': ['staging', 'canary', 'prod'],
      'deploy-command': `ionflow deploy --group staging --rev ${sha}`,
    });
    expect(await exists(`datomic/apps/shop/${sha}.zip`)).toBe(true);
    expect(await exists(`datomic/apps/shop/${sha}.json`)).toBe(true);
    const [register] = aws.fake.callsOf('RegisterApplicationRevision');
    expect(register?.input).toMatchObject({
      applicationName: 'shop',
      revision: { s3Location: { bucket: aws.s3.bucket, key: `datomic/apps/shop/${sha}.zip`, bundleType: 'zip' } },
    });

    const second = await runCli(['push'], { cwd: r.dir, env: env(r) });
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/skipped \(up to date\)/);
    expect(aws.fake.callsOf('RegisterApplicationRevision')).toHaveLength(2);
    expect(aws.fake.callsOf('RegisterApplicationRevision')[1]?.input).toEqual(register?.input);
  });

  it("the zip in S3 holds exactly the commit's files, is byte-identical when forced again, and CodeDeploy gets its ETag", async () => {
    const r = setup({ 'src/shop/core.clj': '(ns shop.core)\n', 'bin/start.sh': '#!/bin/sh\necho start\n' });
    const sha = r.head();
    const key = `datomic/apps/shop/${sha}.zip`;
    const stored = async () => {
      const out = await direct().send(new GetObjectCommand({ Bucket: aws.s3.bucket, Key: key }));
      const bytes = Buffer.from(await out.Body!.transformToByteArray());
      const file = join(r.dir, '..', `${randomUUID()}.zip`);
      writeFileSync(file, bytes);
      return { bytes, file, eTag: out.ETag!.replaceAll('"', '') };
    };
    expect((await runCli(['push'], { cwd: r.dir, env: env(r) })).code).toBe(0);
    const first = await stored();
    expect(await zipNames(first.file)).toEqual(r.git('ls-tree', '-r', '--name-only', sha).split('\n').sort());
    const forced = await runCli(['push', '--force'], { cwd: r.dir, env: env(r) });
    expect(forced.code, forced.stderr).toBe(0);
    const second = await stored();
    expect(second.bytes.equals(first.bytes)).toBe(true);
    const registered = aws.fake.callsOf('RegisterApplicationRevision').map((c) => c.input as { revision: { s3Location: { eTag: string } } });
    expect(registered.map((c) => c.revision.s3Location.eTag)).toEqual([first.eTag, second.eTag]);
  });

  it('a push whose zip was deleted from S3 behind its back uploads it again instead of skipping', async () => {
    const r = setup();
    const key = `datomic/apps/shop/${r.head()}.zip`;
    expect((await runCli(['push'], { cwd: r.dir, env: env(r) })).code).toBe(0);
    await direct().send(new DeleteObjectCommand({ Bucket: aws.s3.bucket, Key: key }));
    aws.fake.calls.length = 0;
    const again = await runCli(['push'], { cwd: r.dir, env: env(r) });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/its zip is missing or not the one recorded: pushing it again/);
    expect(again.stderr).not.toMatch(/skipped/);
    const head = await direct().send(new HeadObjectCommand({ Bucket: aws.s3.bucket, Key: key }));
    const [register] = aws.fake.callsOf('RegisterApplicationRevision');
    expect(register?.input).toMatchObject({ revision: { s3Location: { key, eTag: head.ETag!.replaceAll('"', '') } } });
  });

  it(':deploy-groups names a CodeDeploy group by the deploy.yaml group that deploys to it; :deploy-command a declared group', async () => {
    const r = setup({
      'deploy.yaml': yaml(aws.s3.bucket, undefined, { live: 'deployment-group: prod' }),
    });
    const result = await runCli(['push', '--json'], { cwd: r.dir, env: env(r) });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      'deploy-groups': ['staging', 'canary', 'live'],
      'deploy-command': `ionflow deploy --group staging --rev ${r.head()}`,
    });
  });

  it('a persistent S3 failure exits 1 with error and hint lines, and registers nothing', async () => {
    const r = setup();
    aws.proxy.setRule((req) => (req.method === 'PUT' && req.url.includes('.zip') ? { status: 500, code: 'InternalError' } : undefined));
    const result = await runCli(['push'], { cwd: r.dir, env: env(r) });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines.at(-2)).toMatch(/^error: upload s3:\/\/.*\.zip: InternalError/);
    expect(lines.at(-1)).toMatch(/^hint: /);
    expect(aws.fake.callsOf('RegisterApplicationRevision')).toHaveLength(0);
    expect(aws.proxy.faulted.length).toBeGreaterThanOrEqual(3); // the SDK retried before giving up
  });

  it('a missing bucket and denied CodeDeploy access each give their hint', async () => {
    const nowhere = setup({}, 'no-such-bucket');
    const missing = await runCli(['push'], { cwd: nowhere.dir, env: env(nowhere) });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/NoSuchBucket[\s\S]*\nhint: the bucket does not exist/);

    aws.fake.fault({ match: 'codedeploy.RegisterApplicationRevision', code: 'AccessDeniedException', message: 'not authorized' });
    const r = setup();
    const denied = await runCli(['push'], { cwd: r.dir, env: env(r) });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/AccessDeniedException: not authorized\nhint: the credentials in use are not allowed/);
  });

  it('denied ListDeploymentGroups gives its hint on a new push and on an up-to-date one, never a crash', async () => {
    const r = setup();
    const first = await runCli(['push'], { cwd: r.dir, env: env(r) });
    expect(first.code, first.stderr).toBe(0);

    aws.fake.fault({ match: 'codedeploy.ListDeploymentGroups', code: 'AccessDeniedException', message: 'no listing' });
    r.git('commit', '-q', '--allow-empty', '-m', 'again');
    for (const args of [['push'], ['push', '--rev', r.head()], ['push', '--force']]) {
      const run = await runCli(args, { cwd: r.dir, env: env(r) });
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(1);
      expect(run.stderr).toMatch(/AccessDeniedException: no listing\nhint: the credentials in use are not allowed/);
      expect(run.stderr).not.toMatch(/unhandled|^\s+at /im);
    }
    // The first faulted push stored and registered its revision before asking; the
    // second found it there, so the up-to-date path met the fault too.
    expect(aws.fake.callsOf('ListDeploymentGroups').length).toBeGreaterThanOrEqual(3);
  });

  it('parts that keep failing while git still streams exit 1 with the S3 error and hint, not as interrupted', async () => {
    const r = bigRepo();
    aws.proxy.setRule((req) => (isUploadPart(req) ? { status: 500, code: 'InternalError', message: 'parts down' } : undefined));
    const result = await runCli(['push'], { cwd: r.dir, env: env(r) });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/^error: upload s3:\/\/.*\.zip: InternalError: parts down\nhint: the AWS service kept failing/m);
    expect(await exists(`datomic/apps/shop/${r.head()}.zip`)).toBe(false);
    expect(aws.fake.callsOf('RegisterApplicationRevision')).toHaveLength(0);
  });

  it('a uname push whose old metadata cannot be deleted exits 1 with error and hint lines, never a crash', async () => {
    const r = bigRepo();
    aws.proxy.setRule((req) =>
      req.method === 'DELETE' && req.url.includes('/try-1.json') ? { status: 403, code: 'AccessDenied', message: 'no deleting' } : undefined,
    );
    const result = await runCli(['push', '--uname', 'try-1'], { cwd: r.dir, env: env(r) });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(
      /^error: deleting the old metadata s3:\/\/.*\/try-1\.json: AccessDenied: no deleting\nhint: the credentials in use are not allowed/m,
    );
    expect(result.stderr).not.toMatch(/^\s+at |Node\.js v/m);
    expect(await exists('datomic/apps/shop/try-1.zip')).toBe(false);
    expect(aws.fake.callsOf('RegisterApplicationRevision')).toHaveLength(0);
  });

  it('SIGINT during the upload exits 130: no object, no metadata, nothing registered', async () => {
    const r = bigRepo();
    const sha = r.head();
    aws.proxy.setRule((req) => (isUploadPart(req) ? { hang: true } : undefined));
    const seen = aws.proxy.requests.length;
    let sent = false;
    const result = await runCli(['push'], {
      cwd: r.dir,
      env: env(r),
      onSpawn: (child) => {
        const timer = setInterval(() => {
          if (aws.proxy.requests.slice(seen).some(isUploadPart)) {
            clearInterval(timer);
            sent = true;
            child.kill('SIGINT');
          }
        }, 25);
        child.on('exit', () => clearInterval(timer));
      },
    });
    expect(sent).toBe(true);
    expect(result.code).toBe(130);
    aws.proxy.setRule(() => undefined);
    expect(await exists(`datomic/apps/shop/${sha}.zip`)).toBe(false);
    expect(await exists(`datomic/apps/shop/${sha}.json`)).toBe(false);
    expect(aws.fake.callsOf('RegisterApplicationRevision')).toHaveLength(0);
  });
});

describe('credential profiles (SPEC §10)', () => {
  // s3rver takes only the keys S3RVER/S3RVER: these are refused.
  const REFUSED_SECRET = 'refused-secret-never-printed';

  function credentials(r: TempRepo): string {
    const file = join(r.dir, '..', `credentials-${randomUUID()}`);
    writeFileSync(
      file,
      `[acme]\naws_access_key_id = S3RVER\naws_secret_access_key = S3RVER\n\n[refused]\naws_access_key_id = AKIDREFUSED\naws_secret_access_key = ${REFUSED_SECRET}\n`,
    );
    return file;
  }

  it('signs with the keys of the aws-profile, not those of the environment; --creds-profile picks another', async () => {
    const r = setup({}, aws.s3.bucket, 'acme');
    const profileEnv = {
      ...env(r),
      AWS_SHARED_CREDENTIALS_FILE: credentials(r),
      AWS_ACCESS_KEY_ID: 'AKIDFROMENV',
      AWS_SECRET_ACCESS_KEY: REFUSED_SECRET,
    };
    const pushed = await runCli(['push'], { cwd: r.dir, env: profileEnv });
    expect(pushed.code, pushed.stderr).toBe(0);
    // The profile winning over the environment's keys is the documented rule, not an SDK console warning.
    expect(pushed.stderr).not.toMatch(/WARNING|credential sources/i);
    expect(await exists(`datomic/apps/shop/${r.head()}.zip`)).toBe(true);
    expect(aws.fake.callsOf('RegisterApplicationRevision')).toHaveLength(1);

    r.git('commit', '-q', '--allow-empty', '-m', 'next');
    const refused = await runCli(['push', '--creds-profile', 'refused'], { cwd: r.dir, env: profileEnv });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/InvalidAccessKeyId[^\n]*\nhint: your AWS credentials are missing or expired/);
    expect(refused.stderr).not.toContain(REFUSED_SECRET);
    expect(await exists(`datomic/apps/shop/${r.head()}.zip`)).toBe(false);

    // A profile that no shared file defines is named, with the files and the profiles they have, on every path (SPEC §10).
    const notFound = new RegExp(
      `^error: AWS profile nobody not found in \\S+/config or ${profileEnv.AWS_SHARED_CREDENTIALS_FILE}; profiles there: acme, refused$`,
      'm',
    );
    const attempts = await Promise.all([
      runCli(['push', '--creds-profile', 'nobody'], { cwd: r.dir, env: profileEnv }),
      runCli(['push', '--force', '--creds-profile', 'nobody'], { cwd: r.dir, env: profileEnv }),
      runCli(['deploy', '--group', 'staging', '--rev', r.head(), '--creds-profile', 'nobody'], { cwd: r.dir, env: profileEnv }),
      runCli(['deploy-status', '--group', 'staging', '--creds-profile', 'nobody'], { cwd: r.dir, env: profileEnv }),
      runCli(['push', '--creds-profile', 'acmee'], { cwd: r.dir, env: profileEnv }),
    ]);
    for (const attempt of attempts.slice(0, 4)) {
      expect(attempt.code, attempt.stderr).toBe(2);
      expect(attempt.stderr).toMatch(notFound);
    }
    expect(attempts[4]!.stderr).toContain('hint: did you mean acme?');
    expect(aws.fake.callsOf('RegisterApplicationRevision')).toHaveLength(1);
  });

  it("without an aws-profile, the environment's keys are used (and here refused)", async () => {
    const r = setup();
    const result = await runCli(['push'], {
      cwd: r.dir,
      env: { ...env(r), AWS_SHARED_CREDENTIALS_FILE: credentials(r), AWS_ACCESS_KEY_ID: 'AKIDFROMENV', AWS_SECRET_ACCESS_KEY: REFUSED_SECRET },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/InvalidAccessKeyId[^\n]*\nhint: your AWS credentials/);
    expect(result.stderr).not.toContain(REFUSED_SECRET);
    expect(aws.fake.callsOf('RegisterApplicationRevision')).toHaveLength(0);
  });
});
