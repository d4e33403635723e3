// SPEC §17: the secret of the AWS profile ionflow resolved (here for the S3
// store a local group deploys from) is masked in hook output, though it is in
// no environment variable a hook could be matched against.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { appspec } from '../support/deploy-fixtures.js';
import { useAwsHarness } from '../support/aws-harness.js';
import { runCli } from '../support/cli.js';

const aws = useAwsHarness({ app: 'sample', groups: [] });

it("masks the resolved aws-profile's secret key in hook output, on screen and in the record", async () => {
  const repo = aws.repo({
    'deploy.yaml': `version: 1
profiles:
  test:
    region: us-east-1
    aws-profile: acme
    endpoints: { s3: ${aws.proxy.url}, codedeploy: ${aws.fake.url} }
apps:
  sample:
    store:
      s3: { bucket: ${aws.s3.bucket}, prefix: apps/, profile: test }
groups:
  dev:
    app: sample
    local: .ionflow/groups/dev
`,
    '.gitignore': '.ionflow/\n',
    'appspec.yml': appspec({ ValidateService: 'scripts/show.sh' }),
    // What a careless script does: print the credentials file.
    'scripts/show.sh': '#!/bin/sh\ngrep secret "$AWS_SHARED_CREDENTIALS_FILE"\n',
  });
  const credentials = join(repo.home, 'credentials');
  // s3rver accepts only its own keys, so that is the profile's secret.
  writeFileSync(credentials, '[acme]\naws_access_key_id = S3RVER\naws_secret_access_key = S3RVER\n');
  const env: NodeJS.ProcessEnv = { ...repo.env, AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_CONFIG_FILE: join(repo.home, 'config') };
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) delete env[name];
  const opts = { cwd: repo.dir, env };
  expect((await runCli(['push'], opts)).code).toBe(0);
  const res = await runCli(['deploy', '--group', 'dev', '--rev', repo.head()], opts);
  expect(res.code, res.stderr).toBe(0);
  expect(res.stderr).toContain('ValidateService: aws_secret_access_key = ****');
  const recorded = (await runCli(['history', 'dev', '--json'], opts)).stdout;
  expect(recorded).toContain('aws_secret_access_key = ****');
  expect(`${res.stderr}${recorded}`).not.toContain('S3RVER');
});
