// The aws world for push tests: s3rver behind a fault proxy, the fake
// CodeDeploy endpoint, and a profile pointing the SDK at both. Credentials are
// s3rver's, through the SDK's default chain (environment variables).
import type { ProfileConfig } from '../../src/model/config.js';
import { addApplication, type FakeAws, startFakeAwsEndpoint } from '../support/fake-aws/index.js';
import { type FaultProxy, type S3rverHandle, S3RVER_CREDENTIALS, startFaultProxy, startS3rver } from '../support/s3rver.js';
import { makeTempDir } from '../support/repo.js';

export interface AwsHarness {
  s3: S3rverHandle;
  proxy: FaultProxy;
  fake: FakeAws;
  profile: ProfileConfig;
  /** Environment for a spawned ionflow: credentials, region, no shared AWS files. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startAwsHarness(app = 'shop', groups: string[] = ['staging', 'prod']): Promise<AwsHarness> {
  const s3 = await startS3rver();
  const proxy = await startFaultProxy(s3.url);
  const fake = await startFakeAwsEndpoint();
  addApplication(fake.state, app, groups);
  const home = makeTempDir('ionflow-aws-home-');
  const env = {
    ...S3RVER_CREDENTIALS,
    AWS_CONFIG_FILE: `${home}/config`,
    AWS_SHARED_CREDENTIALS_FILE: `${home}/credentials`,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  Object.assign(process.env, env);
  return {
    s3,
    proxy,
    fake,
    env,
    profile: { key: 'test', region: 'us-east-1', endpoints: { s3: proxy.url, codedeploy: fake.url, sfn: fake.url } },
    async stop() {
      await proxy.close();
      await fake.close();
      await s3.stop();
    },
  };
}

/** S3 requests of a kind, as the proxy saw them. */
export const isUploadPart = (r: { method: string; url: string }) => r.method === 'PUT' && /[?&]partNumber=/.test(r.url);
export const isComplete = (r: { method: string; url: string }) => r.method === 'POST' && /[?&]uploadId=/.test(r.url);
