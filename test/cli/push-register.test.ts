// An uploaded but unregistered revision is not up to date (issue 14 item 8):
// after RegisterApplicationRevision failed, `plan` shows the push as running
// to register, and the next push registers it without uploading the zip again.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isComplete, isUploadPart, useAwsHarness } from '../support/aws-harness.js';

const aws = useAwsHarness({ groups: ['staging'] });

describe('a push whose CodeDeploy registration failed', () => {
  it('exits 1; plan then runs it to register; the next push registers without uploading; then it is up to date', async () => {
    const yaml = aws.deployYaml({ prefix: 'datomic/apps/', pipelines: { ship: ['push: shop'] } });
    const cli = aws.cli(aws.repo({ 'deploy.yaml': yaml, 'src/core.clj': '(ns core)', 'id.txt': randomUUID() }));
    const planned = async () => {
      const out = await cli('plan', 'ship', '--json');
      expect(out.code, out.stderr).toBe(0);
      return (JSON.parse(out.stdout) as { steps: { state: string; reason?: string }[] }).steps[0];
    };

    aws.fake.fault({ match: 'codedeploy.RegisterApplicationRevision', code: 'AccessDeniedException', message: 'not authorized' });
    aws.proxy.requests.length = 0;
    const failed = await cli('push');
    expect(failed.code, failed.stderr).toBe(1);
    expect(failed.stderr).toMatch(/^error: RegisterApplicationRevision shop .*AccessDeniedException: not authorized$/m);
    // The zip was uploaded (the assertion below on the next push is not vacuous).
    expect(aws.proxy.requests.some((r) => r.url.includes('.zip') && r.method === 'PUT')).toBe(true);
    aws.fake.clearFaults();
    expect(await planned()).toMatchObject({ state: 'run', reason: 'register' });
    expect((await cli('plan', 'ship')).stdout).toMatch(/push\s+shop\s+needs nothing\s+run \(register\)/);

    aws.fake.calls.length = 0;
    aws.proxy.requests.length = 0;
    const again = await cli('push');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/never registered: registering it/);
    // No PutObject, part or CompleteMultipartUpload of the zip: only the metadata is rewritten.
    expect(aws.proxy.requests.filter((r) => r.url.includes('.zip') && (r.method === 'PUT' || r.method === 'POST'))).toEqual([]);
    expect(aws.proxy.requests.filter((r) => isUploadPart(r) || isComplete(r))).toEqual([]);
    expect(aws.fake.callsOf('RegisterApplicationRevision')).toHaveLength(1);

    expect(await planned()).toMatchObject({ state: 'skipped (up to date)' });
    aws.fake.calls.length = 0;
    const third = await cli('push');
    expect(third.code, third.stderr).toBe(0);
    expect(third.stderr).toMatch(/skipped \(up to date\)/);
  });
});
