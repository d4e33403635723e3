import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { events } from '../support/app-repo.js';
import { runCli } from '../support/cli.js';
import { startFakeDeployment } from '../support/fake-aws/codedeploy-deployments.js';
import { FAKE_AWS_CREDENTIALS, addApplication, type FakeAws, startFakeAwsEndpoint } from '../support/fake-aws/index.js';
import { makeRepo, type TempRepo } from '../support/repo.js';

let repo: TempRepo | undefined;
let fake: FakeAws | undefined;
beforeEach(async () => {
  fake = await startFakeAwsEndpoint();
  addApplication(fake.state, 'shop', ['staging']);
});
afterEach(async () => {
  repo?.cleanup();
  await fake?.close();
});

function awsRepo(url: string): TempRepo {
  return makeRepo({
    'deploy.yaml': `version: 1
profiles:
  fake:
    region: us-east-1
    endpoints: { s3: ${url}, codedeploy: ${url}, sfn: ${url}, sts: ${url} }
apps:
  shop:
    store:
      s3: { bucket: code, prefix: datomic/apps/, profile: fake }
groups:
  staging:
    app: shop
    aws: { profile: fake, via: codedeploy }
pipelines:
  check:
    steps:
      - wait: { group: staging, timeout: 2s, poll: 1s }
`,
  });
}

const awsEnv = FAKE_AWS_CREDENTIALS;

describe('ionflow run: wait on an aws group', () => {
  it('exits 4 when the deployment is still running at the wait’s timeout', async () => {
    repo = awsRepo(fake!.url);
    const d = startFakeDeployment(
      fake!.state,
      'shop',
      'staging',
      { bucket: 'code', key: 'datomic/apps/shop/x.zip', bundleType: 'zip' },
      { status: 'InProgress', script: [] },
    );
    const t0 = Date.now();
    const res = await runCli(['run', 'check', '--output', 'jsonl'], { cwd: repo.dir, env: { ...repo.env, ...awsEnv } });
    expect(res.code).toBe(4);
    expect(Date.now() - t0).toBeLessThan(15_000);
    const end = events(res.stdout).find((e) => e.type === 'step-end');
    expect(end).toMatchObject({ step: 'wait-staging', status: 'failed' });
    expect(res.stderr).toMatch(new RegExp(`^error: step wait-staging failed: deployment ${d.id} of group staging did not reach SUCCEEDED within 2s`, 'm'));
    expect(fake!.callsOf('GetDeployment').length).toBeGreaterThanOrEqual(2);
  });

  it('fails at once (exit 1) when the deployment has failed', async () => {
    repo = awsRepo(fake!.url);
    startFakeDeployment(
      fake!.state,
      'shop',
      'staging',
      { bucket: 'code', key: 'datomic/apps/shop/x.zip', bundleType: 'zip' },
      {
        status: 'Failed',
        script: [],
        errorInformation: { code: 'SCRIPT_FAILED', message: 'ValidateService failed' },
      },
    );
    const res = await runCli(['run', 'check', '--output', 'jsonl'], { cwd: repo.dir, env: { ...repo.env, ...awsEnv } });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^error: step wait-staging failed: deployment d-\S+ of group staging FAILED/m);
  });
});
