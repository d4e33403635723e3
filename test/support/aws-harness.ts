// The aws world for tests: s3rver behind a fault proxy, the fake CodeDeploy /
// Step Functions / STS endpoint, a profile pointing the SDK at both, and what
// a CLI test needs on top: a deploy.yaml for them, temp git repos, and the
// environment for the built binary. Credentials are s3rver's, through the
// SDK's default chain (environment variables).
import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { ProfileConfig } from '../../src/model/config.js';
import { type CliResult, runCli } from './cli.js';
import { addApplication, addStateMachine, type FakeAws, startFakeAwsEndpoint } from './fake-aws/index.js';
import { makeRepo, makeTempDir, type TempRepo } from './repo.js';
import { type FaultProxy, type S3rverHandle, S3RVER_CREDENTIALS, startFaultProxy, startS3rver } from './s3rver.js';

export interface AwsHarnessOptions {
  /** The CodeDeploy application the fake knows (default shop). */
  app?: string;
  /** Its deployment groups (default staging and prod). */
  groups?: string[];
  /** Step Functions state machines the fake knows, by name. */
  stateMachines?: string[];
}

/** What `deployYaml` writes besides the harness's bucket and endpoints. App `shop`, profile `test` in us-east-1. */
export interface AwsYamlParts {
  /** Default: the harness's bucket. */
  bucket?: string;
  /** The store's key prefix; none: ionflow's default. */
  prefix?: string;
  /**
   * How the store and groups name profile `test`: its `aws-profile`, and
   * whether it carries the harness's endpoints itself. false: no profile at
   * all, the environment decides.
   */
  profile?: false | { awsProfile?: string; endpoints?: boolean };
  /** Group key → the rest of its `aws:` map (e.g. 'via: codedeploy'). Default: staging. */
  groups?: Record<string, string>;
  /** Pipeline key → its steps, one YAML line each ('push: shop'). */
  pipelines?: Record<string, string[]>;
}

export type Cli = (...args: string[]) => Promise<CliResult>;

export interface AwsHarness {
  s3: S3rverHandle;
  proxy: FaultProxy;
  fake: FakeAws;
  profile: ProfileConfig;
  /** Environment for a spawned ionflow: credentials, region, no shared AWS files. */
  env: Record<string, string>;
  /** A deploy.yaml for the harness's bucket, app shop and aws groups. */
  deployYaml(parts?: AwsYamlParts): string;
  /** A temp git repo holding `files` (committed), removed by `cleanRepos`. */
  repo(files: Record<string, string>): TempRepo;
  /** The environment for the built binary in `repo`: its git env, `env`, and every endpoint variable. */
  cliEnv(repo: TempRepo, extra?: Record<string, string>): NodeJS.ProcessEnv;
  /** The built binary, run in `repo` with `cliEnv(repo, extra)`. */
  cli(repo: TempRepo, extra?: Record<string, string>): Cli;
  /** Forget recorded calls and requests, clear fake faults and the proxy's rule. */
  reset(): void;
  cleanRepos(): void;
  stop(): Promise<void>;
}

export async function startAwsHarness(options: AwsHarnessOptions = {}): Promise<AwsHarness> {
  const s3 = await startS3rver();
  const proxy = await startFaultProxy(s3.url);
  const fake = await startFakeAwsEndpoint();
  addApplication(fake.state, options.app ?? 'shop', options.groups ?? ['staging', 'prod']);
  for (const name of options.stateMachines ?? []) addStateMachine(fake.state, name);
  const home = makeTempDir('ionflow-aws-home-');
  const env = {
    ...S3RVER_CREDENTIALS,
    AWS_CONFIG_FILE: `${home}/config`,
    AWS_SHARED_CREDENTIALS_FILE: `${home}/credentials`,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  // In-process SDK clients (back-end tests) take the same credentials.
  Object.assign(process.env, env);
  const repos: TempRepo[] = [];
  const endpoints = { s3: proxy.url, codedeploy: fake.url, sfn: fake.url, sts: fake.url };
  const cliEnv = (repo: TempRepo, extra: Record<string, string> = {}) => ({
    ...repo.env,
    ...env,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    AWS_ENDPOINT_URL_CODEDEPLOY: endpoints.codedeploy,
    AWS_ENDPOINT_URL_SFN: endpoints.sfn,
    AWS_ENDPOINT_URL_STS: endpoints.sts,
    ...extra,
  });
  return {
    s3,
    proxy,
    fake,
    env,
    profile: { key: 'test', region: 'us-east-1', endpoints: { s3: proxy.url, codedeploy: fake.url, sfn: fake.url } },
    deployYaml: (parts = {}) => deployYaml(parts.bucket ?? s3.bucket, endpoints, parts),
    repo(files) {
      const repo = makeRepo(files);
      repos.push(repo);
      return repo;
    },
    cliEnv,
    cli:
      (repo, extra) =>
      (...args) =>
        runCli(args, { cwd: repo.dir, env: cliEnv(repo, extra) }),
    reset() {
      fake.clearFaults();
      fake.calls.length = 0;
      proxy.setRule(() => undefined);
      proxy.requests.length = 0;
      proxy.faulted.length = 0;
    },
    cleanRepos() {
      for (const repo of repos.splice(0)) repo.cleanup();
    },
    async stop() {
      await proxy.close();
      await fake.close();
      await s3.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * One harness for the calling test file: started before its tests, reset
 * before each, its repos removed after each, stopped after all. The object is
 * filled in when the harness has started, so use it inside tests and hooks.
 */
export function useAwsHarness(options: AwsHarnessOptions = {}): AwsHarness {
  const harness = {} as AwsHarness;
  beforeAll(async () => {
    Object.assign(harness, await startAwsHarness(options));
  });
  afterAll(() => harness.stop());
  beforeEach(() => harness.reset());
  afterEach(() => harness.cleanRepos());
  return harness;
}

function deployYaml(bucket: string, endpoints: Record<string, string>, parts: AwsYamlParts): string {
  const profile = parts.profile ?? {};
  const ref = profile === false ? [] : ['profile: test'];
  const map = (entries: string[]) => `{ ${entries.join(', ')} }`;
  const lines = ['version: 1'];
  if (profile !== false) {
    lines.push('profiles:', '  test:', '    region: us-east-1');
    if (profile.awsProfile) lines.push(`    aws-profile: ${profile.awsProfile}`);
    if (profile.endpoints) lines.push(`    endpoints: ${map(Object.entries(endpoints).map(([k, v]) => `${k}: ${v}`))}`);
  }
  const prefix = parts.prefix ? [`prefix: ${parts.prefix}`] : [];
  lines.push('apps:', '  shop:', '    store:', `      s3: ${map([`bucket: ${bucket}`, ...prefix, ...ref])}`);
  const groups = Object.entries(parts.groups ?? { staging: '' });
  if (groups.length > 0) lines.push('groups:');
  for (const [key, rest] of groups) lines.push(`  ${key}:`, '    app: shop', `    aws: ${map([...ref, ...(rest ? [rest] : [])])}`);
  const pipelines = Object.entries(parts.pipelines ?? {});
  if (pipelines.length > 0) lines.push('pipelines:');
  for (const [key, steps] of pipelines) lines.push(`  ${key}:`, '    steps:', ...steps.map((s) => `      - ${s}`));
  return `${lines.join('\n')}\n`;
}

/** S3 requests of a kind, as the proxy saw them. */
export const isUploadPart = (r: { method: string; url: string }) => r.method === 'PUT' && /[?&]partNumber=/.test(r.url);
export const isComplete = (r: { method: string; url: string }) => r.method === 'POST' && /[?&]uploadId=/.test(r.url);
