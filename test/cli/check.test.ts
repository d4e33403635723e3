// SPEC §14 through the built CLI, against the fake AWS endpoint (STS, S3
// HeadBucket, CodeDeploy, Step Functions) and local groups: `check` says what
// is fine and explains each misconfiguration in one line with a fix; `run`
// refuses (exit 3) before anything is pushed; --no-preflight skips.
import { accessSync, chmodSync, constants, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useAwsHarness } from '../support/aws-harness.js';
import { runCli } from '../support/cli.js';
import { addApplication, addStateMachine, type FakeAws, startFakeAwsEndpoint } from '../support/fake-aws/index.js';
import { makeRepo, makeTempDir, type TempRepo } from '../support/repo.js';

let fake: FakeAws;
let repo: TempRepo | undefined;
beforeAll(async () => {
  fake = await startFakeAwsEndpoint();
  addApplication(fake.state, 'shop', ['staging']);
  addStateMachine(fake.state, 'datomic-staging');
  fake.state.buckets = new Map([
    ['code', 'us-east-1'],
    ['euro-code', 'eu-west-1'],
  ]);
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.calls.length = 0;
  fake.clearFaults();
});
afterEach(() => repo?.cleanup());

const home = makeTempDir('ionflow-aws-config-');
writeFileSync(join(home, 'config'), '[profile real]\nregion = us-east-1\n');
const awsEnv = {
  AWS_ACCESS_KEY_ID: 'AKIDTEST',
  AWS_SECRET_ACCESS_KEY: 'secret',
  AWS_CONFIG_FILE: join(home, 'config'),
  AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
};

const profiles = (url: string) => `profiles:
  fake:
    region: us-east-1
    endpoints: { s3: ${url}, codedeploy: ${url}, sfn: ${url}, sts: ${url} }
  typo:
    aws-profile: no-such-profile
    region: us-east-1
    endpoints: { s3: ${url}, codedeploy: ${url}, sfn: ${url}, sts: ${url} }
`;

const cli = (...args: string[]) => runCli(args, { cwd: repo!.dir, env: { ...repo!.env, ...awsEnv } });

/** A folder this process cannot write, even as root (whose permission bits are not checked). */
function unwritableDir(): string {
  const dir = process.getuid?.() === 0 ? '/proc/sys' : makeTempDir('ionflow-ro-');
  if (process.getuid?.() !== 0) chmodSync(dir, 0o555);
  expect(() => accessSync(dir, constants.W_OK)).toThrow();
  return dir;
}

describe('ionflow check', () => {
  it('says ok for each thing a good configuration needs, asking each profile’s identity once', async () => {
    repo = makeRepo({
      'deploy.yaml': `version: 1
${profiles(fake.url)}apps:
  shop:
    store:
      s3: { bucket: code, profile: fake }
groups:
  staging:
    app: shop
    aws: { profile: fake }
  direct:
    app: shop
    aws: { profile: fake, via: codedeploy, deployment-group: staging }
pipelines:
  ship:
    steps:
      - push: shop
      - deploy: staging
      - deploy: direct
`,
    });
    const res = await cli('check', 'ship');
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^ok +profile fake: arn:aws:iam::123456789012:user\/ci \(account 123456789012\) in us-east-1$/m);
    expect(res.stdout).toMatch(/^ok +bucket code \(store of shop\): exists, in us-east-1$/m);
    expect(res.stdout).toMatch(/^ok +group staging \(CodeDeploy shop\/staging\): exists in us-east-1$/m);
    expect(res.stdout).toMatch(/^ok +group staging \(state machine datomic-staging\): arn:aws:states:us-east-1:123456789012:stateMachine:datomic-staging$/m);
    expect(res.stdout).toMatch(/^ok +group direct \(CodeDeploy shop\/staging\): exists in us-east-1$/m);
    expect(res.stdout).toMatch(/^ok +app shop: .* is in the git repository /m);
    expect(res.stdout).toMatch(/^preflight: 7 ok, 0 warnings, 0 failed$/m);
    expect(fake.callsOf('GetCallerIdentity')).toHaveLength(1);
    expect(
      fake.calls.every((c) =>
        ['GetCallerIdentity', 'HeadBucket', 'GetApplication', 'GetDeploymentGroup', 'ListStateMachines', 'DescribeStateMachine'].includes(c.action),
      ),
    ).toBe(true);

    const json = await cli('check', 'ship', '--json');
    expect(JSON.parse(json.stdout)).toContainEqual({
      subject: 'profile fake',
      status: 'ok',
      message: 'arn:aws:iam::123456789012:user/ci (account 123456789012) in us-east-1',
    });
  });

  it('explains each misconfiguration in one line with a fix, and exits 3', async () => {
    const ro = unwritableDir();
    repo = makeRepo({
      'deploy.yaml': `version: 1
${profiles(fake.url)}apps:
  shop:
    store:
      s3: { bucket: euro-code, profile: fake }
  gone:
    name: nowhere
    store:
      s3: { bucket: no-such-bucket, profile: fake }
  hooks:
    root: hooks
    store: { local: .ionflow/store }
  modes:
    root: modes
    store: { local: .ionflow/store }
groups:
  who:
    app: shop
    aws: { profile: typo, via: codedeploy, deployment-group: staging }
  nogroup:
    app: shop
    aws: { profile: fake, via: codedeploy }
  noapp:
    app: gone
    aws: { profile: fake, via: codedeploy, deployment-group: staging }
  nosm:
    app: shop
    aws: { profile: fake, deployment-group: staging, state-machine: datomic-typo }
  readonly:
    app: hooks
    local: ${ro}/ionflow-dev
  missing:
    app: hooks
    local: .ionflow/groups/missing
  notexec:
    app: modes
    local: .ionflow/groups/notexec
`,
      'hooks/appspec.yml': 'version: 0.0\nhooks:\n  ApplicationStart:\n    - location: scripts/start.sh\n',
      'modes/appspec.yml': 'version: 0.0\nhooks:\n  ValidateService:\n    - location: scripts/validate.sh\n',
      'modes/scripts/validate.sh': '#!/bin/sh\nexit 0\n',
    });
    const res = await cli('check');
    expect(res.code).toBe(3);
    const line = (subject: string) => res.stdout.split('\n').find((l) => l.includes(` ${subject}`)) ?? `(no line for ${subject})`;
    expect(line('profile typo')).toMatch(/^FAILED +profile typo: AWS profile no-such-profile not found in .* — fix: add \[profile no-such-profile\] to /);
    expect(line('bucket euro-code')).toBe(
      'FAILED   bucket euro-code (store of shop): the bucket is in eu-west-1, but profile fake uses us-east-1 — fix: set the profile’s region (or --region) to eu-west-1',
    );
    expect(line('bucket no-such-bucket')).toBe(
      'FAILED   bucket no-such-bucket (store of gone): no bucket no-such-bucket in us-east-1 — fix: create it, or set apps.gone.store.s3.bucket to an existing bucket',
    );
    expect(line('group nogroup')).toBe(
      'FAILED   group nogroup (CodeDeploy shop/nogroup): application shop has no deployment group nogroup in us-east-1 — fix: set groups.nogroup.aws.deployment-group to one of: staging',
    );
    expect(line('group noapp')).toMatch(
      /^FAILED +group noapp \(CodeDeploy nowhere\/staging\): CodeDeploy has no application nowhere in us-east-1 — fix: check the app name \(apps\.gone\.name or :app-name\)/,
    );
    expect(line('group nosm (state')).toMatch(
      /^FAILED +group nosm \(state machine datomic-typo\): group nosm: no Step Functions state machine named datomic-typo in us-east-1 — fix: check groups\.nosm\.aws\.state-machine/,
    );
    expect(line('group readonly')).toMatch(/^FAILED +group readonly \(.*\): .* cannot be written — fix: chmod u\+w /);
    expect(line('appspec.yml of hooks')).toBe(
      'FAILED   appspec.yml of hooks (groups readonly, missing): ApplicationStart script scripts/start.sh is not in HEAD — fix: commit scripts/start.sh (git add scripts/start.sh), or fix its location in appspec.yml',
    );
    expect(line('appspec.yml of modes')).toBe(
      'FAILED   appspec.yml of modes (group notexec): ValidateService script scripts/validate.sh is not executable in HEAD — fix: git update-index --chmod=+x scripts/validate.sh && git commit',
    );
    expect(line('group who')).toMatch(/^FAILED +group who .*no-such-profile/);
    expect(res.stderr).toMatch(/^error: preflight: 10 of \d+ checks failed$/m);
  });

  it('an access denial names the action; NotImplemented from an S3-compatible store is a warning', async () => {
    repo = makeRepo({
      'deploy.yaml': `version: 1
${profiles(fake.url)}apps:
  shop:
    store:
      s3: { bucket: code, profile: fake }
groups:
  staging:
    app: shop
    aws: { profile: fake, via: codedeploy }
`,
    });
    fake.fault({
      match: 'codedeploy.GetDeploymentGroup',
      code: 'AccessDeniedException',
      message: 'User: arn:aws:iam::123456789012:user/ci is not authorized to perform: codedeploy:GetDeploymentGroup',
    });
    fake.fault({ match: 'sts.GetCallerIdentity', code: 'NotImplemented', status: 501 });
    const res = await cli('check');
    expect(res.code).toBe(3);
    expect(res.stdout).toMatch(/^warning +profile fake: the endpoint cannot answer sts:GetCallerIdentity \(NotImplemented\), so this was not checked$/m);
    expect(res.stdout).toMatch(
      /^FAILED +group staging \(CodeDeploy shop\/staging\): not allowed to call codedeploy:GetDeploymentGroup — fix: allow codedeploy:GetDeploymentGroup in the IAM policy of profile fake’s identity$/m,
    );
  });
});

describe('preflight before run', () => {
  const aws = useAwsHarness({ groups: ['staging'] });

  it('a failing check exits 3 before anything is pushed; --no-preflight skips the checks', async () => {
    const repo = aws.repo({
      '.gitignore': '.ionflow/\n', // run journals
      // The profile names the endpoints; the environment has none.
      'deploy.yaml': aws.deployYaml({
        profile: { endpoints: true },
        groups: { staging: 'via: codedeploy, deployment-group: stagign' },
        pipelines: { ship: ['push: shop', 'deploy: staging'] },
      }),
    });
    const run = (...extra: string[]) => runCli(['run', 'ship', '--output', 'jsonl', ...extra], { cwd: repo.dir, env: { ...repo.env, ...aws.env } });
    const res = await run();
    expect(res.code).toBe(3);
    expect(res.stdout).toBe(''); // not even run-start
    expect(res.stderr).not.toMatch(/^ok /m); // a run shows only what needs attention
    expect(res.stderr).toMatch(
      /^FAILED +group staging \(CodeDeploy shop\/stagign\): application shop has no deployment group stagign in us-east-1 — fix: set groups\.staging\.aws\.deployment-group to one of: staging$/m,
    );
    expect(res.stderr).toMatch(/^error: preflight: 1 of \d+ checks failed; nothing was pushed or deployed$/m);
    expect(aws.proxy.requests.map((r) => r.method)).toEqual(['HEAD']);
    expect(aws.fake.callsOf('RegisterApplicationRevision')).toHaveLength(0);

    aws.proxy.requests.length = 0;
    const skipped = await run('--no-preflight');
    expect(skipped.code).toBe(1);
    expect(aws.fake.callsOf('GetCallerIdentity')).toHaveLength(1); // the first run's only
    expect(aws.proxy.requests.some((r) => r.method === 'PUT')).toBe(true);
    expect(skipped.stderr).toMatch(/DeploymentGroupDoesNotExist/);
  });
});
