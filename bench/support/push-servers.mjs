// The endpoints a push bench pushes to: s3rver (bucket `bench`) and the fake
// CodeDeploy endpoint, both on 127.0.0.1 port 0 in this process, and the
// environment that points ionflow and the AWS CLI at them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadTestSupport } from './compile-support.mjs';

export async function startPushServers(work) {
  const support = await loadTestSupport();
  const s3 = await support.startS3rver({ bucket: 'bench' });
  const fake = await support.startFakeAwsEndpoint();
  support.addApplication(fake.state, 'bench', ['dev']);
  const env = {
    ...process.env,
    ...support.S3RVER_CREDENTIALS,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: `${work}/no-aws-config`,
    AWS_SHARED_CREDENTIALS_FILE: `${work}/no-aws-credentials`,
    AWS_ENDPOINT_URL_S3: s3.url,
    AWS_ENDPOINT_URL_CODEDEPLOY: fake.url,
    // s3rver needs checksums only when required (see STYLE.md); the same for both tools.
    AWS_REQUEST_CHECKSUM_CALCULATION: 'when_required',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'when_required',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    NO_COLOR: '1',
  };
  return {
    env,
    fakeUrl: fake.url,
    s3Port: Number(new URL(s3.url).port),
    fakePort: Number(new URL(fake.url).port),
    async close() {
      await fake.close();
      await s3.stop();
    },
  };
}

/** A deploy.yaml pushing the repo at `repoDir` to the bench bucket (or to a local store with `local`). */
export function writeS3Config(work, name, repoDir, { local } = {}) {
  const dir = `${work}/cfg-${name}${local ? '-local' : ''}`;
  mkdirSync(dir, { recursive: true });
  const file = `${dir}/deploy.yaml`;
  const store = local ? `local: ${local}` : `s3: { bucket: bench, prefix: ionflow/${name}/, profile: bench }`;
  writeFileSync(
    file,
    `version: 1
profiles:
  bench:
    region: us-east-1
apps:
  bench:
    root: ${repoDir}
    ion-config: ${repoDir}/resources/datomic/ion-config.edn
    store:
      ${store}
pipelines: {}
`,
  );
  return file;
}
