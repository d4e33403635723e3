// S3 faults (SPEC §10, §17): one request in five answered with a 5xx, and the
// first part refused four times running (past the SDK's default 3 attempts).
// The push must still succeed, with the object byte for byte what was pushed.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { expect, it } from 'vitest';
import { isUploadPart, useAwsHarness } from '../support/aws-harness.js';
import { runCli } from '../support/cli.js';

const aws = useAwsHarness({ groups: ['staging'] });

const direct = () =>
  new S3Client({ endpoint: aws.s3.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });

it('a multipart push through 20% of 5xx answers succeeds, byte-identical', async () => {
  // No profile, no groups: the store alone, found through the environment's endpoints.
  const repo = aws.repo({ 'deploy.yaml': aws.deployYaml({ profile: false, groups: {} }), 'id.txt': randomUUID() });
  // 6 MiB that does not compress: two parts.
  writeFileSync(join(repo.dir, 'blob.bin'), randomBytes(6 * 1024 * 1024));
  repo.git('-c', 'core.looseCompression=0', 'add', '-A');
  repo.git('commit', '-q', '-m', 'big');
  let partAttempts = 0;
  aws.proxy.setRule((req, index) => {
    if (isUploadPart(req) && /[?&]partNumber=1(&|$)/.test(req.url) && ++partAttempts <= 4)
      return { status: 500, code: 'InternalError', message: 'part refused' };
    return index % 5 === 4 ? { status: 503, code: 'SlowDown', message: 'fault proxy' } : undefined;
  });
  const res = await runCli(['push', '--json'], { cwd: repo.dir, env: aws.cliEnv(repo) });
  aws.proxy.setRule(() => undefined);
  expect(res.code, res.stderr).toBe(0);
  expect(aws.proxy.faulted.length / aws.proxy.requests.length).toBeGreaterThanOrEqual(0.2);

  const rev = repo.head();
  const s3 = direct();
  const read = async (key: string) =>
    Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: aws.s3.bucket, Key: key }))).Body!.transformToByteArray());
  const meta = JSON.parse((await read(`datomic/apps/shop/${rev}.json`)).toString('utf8')) as { sha256: string; size: number };
  const zip = await read(`datomic/apps/shop/${rev}.zip`);
  expect(zip.length).toBeGreaterThan(6 * 1024 * 1024);
  expect([zip.length, createHash('sha256').update(zip).digest('hex')]).toEqual([meta.size, meta.sha256]);
});
