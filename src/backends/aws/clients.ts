// The whole AWS surface of ionflow in one file (SPEC §10): how S3, CodeDeploy
// and Step Functions clients are configured from a credential profile and the
// command line, and narrow interfaces listing only the calls ionflow makes, so
// tests can fake them and a reader sees every AWS call here.
//
// Each SDK package is imported when its service is first used: a push never
// loads Step Functions, and nothing local ever loads any of them.

import type {
  BatchGetDeploymentInstancesCommandInput,
  BatchGetDeploymentInstancesCommandOutput,
  BatchGetDeploymentTargetsCommandInput,
  BatchGetDeploymentTargetsCommandOutput,
  CodeDeployClient,
  CreateDeploymentCommandInput,
  CreateDeploymentCommandOutput,
  GetApplicationCommandInput,
  GetApplicationCommandOutput,
  GetApplicationRevisionCommandInput,
  GetApplicationRevisionCommandOutput,
  GetDeploymentCommandInput,
  GetDeploymentCommandOutput,
  GetDeploymentGroupCommandInput,
  GetDeploymentGroupCommandOutput,
  ListDeploymentGroupsCommandInput,
  ListDeploymentGroupsCommandOutput,
  ListDeploymentInstancesCommandInput,
  ListDeploymentInstancesCommandOutput,
  ListDeploymentsCommandInput,
  ListDeploymentsCommandOutput,
  ListDeploymentTargetsCommandInput,
  ListDeploymentTargetsCommandOutput,
  RegisterApplicationRevisionCommandInput,
  RegisterApplicationRevisionCommandOutput,
} from '@aws-sdk/client-codedeploy';
import type {
  AbortMultipartUploadCommandInput,
  AbortMultipartUploadCommandOutput,
  DeleteObjectCommandInput,
  DeleteObjectCommandOutput,
  GetObjectCommandInput,
  GetObjectCommandOutput,
  HeadBucketCommandInput,
  HeadBucketCommandOutput,
  HeadObjectCommandInput,
  HeadObjectCommandOutput,
  ListObjectsV2CommandInput,
  ListObjectsV2CommandOutput,
  PutObjectCommandInput,
  PutObjectCommandOutput,
  S3Client,
} from '@aws-sdk/client-s3';
import type {
  DescribeExecutionCommandInput,
  DescribeExecutionCommandOutput,
  DescribeStateMachineCommandInput,
  DescribeStateMachineCommandOutput,
  GetExecutionHistoryCommandInput,
  GetExecutionHistoryCommandOutput,
  ListExecutionsCommandInput,
  ListExecutionsCommandOutput,
  ListStateMachinesCommandInput,
  ListStateMachinesCommandOutput,
  SFNClient,
  StartExecutionCommandInput,
  StartExecutionCommandOutput,
} from '@aws-sdk/client-sfn';
import type { GetCallerIdentityCommandInput, GetCallerIdentityCommandOutput, STSClient } from '@aws-sdk/client-sts';
import type { ProfileConfig } from '../../model/config.js';
import { requireSdk } from '../../lazy/aws-sdk.js';
import type { BackendOptions } from '../types.js';
import { namesProfile } from './names-profile.js';
import { requireProfile } from './profiles.js';
import { honourSignal, requestHandlerSettings } from './request-limits.js';

type Call<I, O> = (input: I, signal?: AbortSignal) => Promise<O>;
/**
 * Every page of a paginated call, through the SDK's own paginator: pages are
 * asked for as they are read, so a caller that stops early asks for no more.
 */
type Pages<I, O> = (input: I, signal?: AbortSignal) => AsyncIterable<O>;

export interface S3Api {
  /** The configured client, for @aws-sdk/lib-storage's multipart Upload. */
  readonly client: S3Client;
  getObject: Call<GetObjectCommandInput, GetObjectCommandOutput>;
  headObject: Call<HeadObjectCommandInput, HeadObjectCommandOutput>;
  putObject: Call<PutObjectCommandInput, PutObjectCommandOutput>;
  deleteObject: Call<DeleteObjectCommandInput, DeleteObjectCommandOutput>;
  listObjectsV2Pages: Pages<ListObjectsV2CommandInput, ListObjectsV2CommandOutput>;
  abortMultipartUpload: Call<AbortMultipartUploadCommandInput, AbortMultipartUploadCommandOutput>;
  headBucket: Call<HeadBucketCommandInput, HeadBucketCommandOutput>;
}

export interface CodeDeployApi {
  readonly client: CodeDeployClient;
  registerApplicationRevision: Call<RegisterApplicationRevisionCommandInput, RegisterApplicationRevisionCommandOutput>;
  getApplicationRevision: Call<GetApplicationRevisionCommandInput, GetApplicationRevisionCommandOutput>;
  listDeploymentGroupsPages: Pages<ListDeploymentGroupsCommandInput, ListDeploymentGroupsCommandOutput>;
  getDeploymentGroup: Call<GetDeploymentGroupCommandInput, GetDeploymentGroupCommandOutput>;
  createDeployment: Call<CreateDeploymentCommandInput, CreateDeploymentCommandOutput>;
  getDeployment: Call<GetDeploymentCommandInput, GetDeploymentCommandOutput>;
  listDeploymentsPages: Pages<ListDeploymentsCommandInput, ListDeploymentsCommandOutput>;
  getApplication: Call<GetApplicationCommandInput, GetApplicationCommandOutput>;
  /** The SDK has no paginator for ListDeploymentTargets: callers follow nextToken. */
  listDeploymentTargets: Call<ListDeploymentTargetsCommandInput, ListDeploymentTargetsCommandOutput>;
  batchGetDeploymentTargets: Call<BatchGetDeploymentTargetsCommandInput, BatchGetDeploymentTargetsCommandOutput>;
  listDeploymentInstancesPages: Pages<ListDeploymentInstancesCommandInput, ListDeploymentInstancesCommandOutput>;
  batchGetDeploymentInstances: Call<BatchGetDeploymentInstancesCommandInput, BatchGetDeploymentInstancesCommandOutput>;
}

export interface SfnApi {
  readonly client: SFNClient;
  listStateMachinesPages: Pages<ListStateMachinesCommandInput, ListStateMachinesCommandOutput>;
  startExecution: Call<StartExecutionCommandInput, StartExecutionCommandOutput>;
  describeExecution: Call<DescribeExecutionCommandInput, DescribeExecutionCommandOutput>;
  listExecutionsPages: Pages<ListExecutionsCommandInput, ListExecutionsCommandOutput>;
  describeStateMachine: Call<DescribeStateMachineCommandInput, DescribeStateMachineCommandOutput>;
  executionHistoryPages: Pages<GetExecutionHistoryCommandInput, GetExecutionHistoryCommandOutput>;
}

export interface StsApi {
  readonly client: STSClient;
  getCallerIdentity: Call<GetCallerIdentityCommandInput, GetCallerIdentityCommandOutput>;
}

export interface AwsClients {
  s3(): Promise<S3Api>;
  codedeploy(): Promise<CodeDeployApi>;
  sfn(): Promise<SfnApi>;
  sts(): Promise<StsApi>;
}

export type AwsService = 's3' | 'codedeploy' | 'sfn' | 'sts';

/** What a client of `service` is configured with (exported for tests). */
export interface ClientSettings {
  profile?: string;
  region?: string;
  endpoint?: string;
}

const ENDPOINT_VARS: Record<AwsService, string> = {
  s3: 'AWS_ENDPOINT_URL_S3',
  codedeploy: 'AWS_ENDPOINT_URL_CODEDEPLOY',
  sfn: 'AWS_ENDPOINT_URL_SFN',
  sts: 'AWS_ENDPOINT_URL_STS',
};

/**
 * SPEC §10: --creds-profile over the profile's aws-profile (else the default
 * chain); --region over the profile's region over the standard variables
 * (else the SDK reads the shared config); the profile's endpoint over
 * AWS_ENDPOINT_URL_<SERVICE> over AWS_ENDPOINT_URL.
 */
export function clientSettings(service: AwsService, profile: ProfileConfig | undefined, options: BackendOptions): ClientSettings {
  const env = options.env ?? process.env;
  const settings: ClientSettings = {};
  const awsProfile = options.credsProfile ?? profile?.awsProfile;
  if (awsProfile) settings.profile = awsProfile;
  const region = options.region ?? profile?.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (region) settings.region = region;
  const endpoint = profile?.endpoints[service] ?? env[ENDPOINT_VARS[service]] ?? env.AWS_ENDPOINT_URL;
  if (endpoint) settings.endpoint = endpoint;
  return settings;
}

// Bind each named command to `client.send`, with the abort signal passed through.
type Sender = { send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown> };
function bind<I, O>(client: Sender, Command: new (...args: [NoInfer<I>]) => unknown): Call<I, O> {
  return (input, signal) => client.send(new Command(input), signal ? { abortSignal: signal } : {}) as Promise<O>;
}

// The same for a paginator: what follows its input goes to each page's `client.send`.
function pages<C, I, O>(client: C, paginate: (config: { client: C }, input: I, ...send: object[]) => AsyncIterable<O>): Pages<I, O> {
  return (input, signal) => paginate({ client }, input, ...(signal ? [{ abortSignal: signal }] : []));
}

// The SDK's loggers are silent by default but for one warning it prints on its
// own (several lines on the console) when a profile is chosen while
// AWS_ACCESS_KEY_ID is set. Choosing the profile is what deploy.yaml's
// aws-profile and --creds-profile mean (SPEC §10; the README says the
// profile's keys win), so that warning is left out too.
const SILENT = { debug() {}, info() {}, warn() {}, error() {} };

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    made ??= make();
    return made;
  };
}

export function createAwsClients(profile: ProfileConfig | undefined, options: BackendOptions = {}): AwsClients {
  // Connection and idle timeouts on every client's request handler (SPEC §17).
  const limits = { requestHandler: requestHandlerSettings(options) };
  // A named AWS profile must exist before any client of it is made: every path (push, deploy, status) asks here.
  const named = options.credsProfile ?? profile?.awsProfile;
  const profileExists = once(async () => (named ? requireProfile(named, options.env ?? process.env) : undefined));
  return {
    s3: once(async () => {
      await profileExists();
      const sdk = requireSdk('client-s3');
      const settings = clientSettings('s3', profile, options);
      const client = new sdk.S3Client({
        ...settings,
        ...limits,
        // Parts of a large push meet an S3 5xx now and then: with the SDK's 3
        // attempts, 1 part in 125 fails at a 20% fault rate, and a 300 MiB
        // push (60 parts) with it 4 times in 10; with 6, 1 push in 250.
        maxAttempts: 6,
        logger: SILENT,
        // S3-compatible stores and emulators: no virtual-host buckets, and
        // checksums only where the API requires them (s3rver corrupts streamed
        // bodies sent with the default aws-chunked checksum trailers).
        ...(settings.endpoint ? { forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } : {}),
      });
      namesProfile(client, settings.profile);
      honourSignal(client, options.signal);
      return {
        client,
        getObject: bind(client, sdk.GetObjectCommand),
        headObject: bind(client, sdk.HeadObjectCommand),
        putObject: bind(client, sdk.PutObjectCommand),
        deleteObject: bind(client, sdk.DeleteObjectCommand),
        listObjectsV2Pages: pages(client, sdk.paginateListObjectsV2),
        abortMultipartUpload: bind(client, sdk.AbortMultipartUploadCommand),
        headBucket: bind(client, sdk.HeadBucketCommand),
      };
    }),
    codedeploy: once(async () => {
      await profileExists();
      const sdk = requireSdk('client-codedeploy');
      const settings = clientSettings('codedeploy', profile, options);
      const client = new sdk.CodeDeployClient({ ...settings, ...limits, logger: SILENT });
      namesProfile(client, settings.profile);
      honourSignal(client, options.signal);
      return {
        client,
        registerApplicationRevision: bind(client, sdk.RegisterApplicationRevisionCommand),
        getApplicationRevision: bind(client, sdk.GetApplicationRevisionCommand),
        listDeploymentGroupsPages: pages(client, sdk.paginateListDeploymentGroups),
        getDeploymentGroup: bind(client, sdk.GetDeploymentGroupCommand),
        createDeployment: bind(client, sdk.CreateDeploymentCommand),
        getDeployment: bind(client, sdk.GetDeploymentCommand),
        listDeploymentsPages: pages(client, sdk.paginateListDeployments),
        getApplication: bind(client, sdk.GetApplicationCommand),
        listDeploymentTargets: bind(client, sdk.ListDeploymentTargetsCommand),
        batchGetDeploymentTargets: bind(client, sdk.BatchGetDeploymentTargetsCommand),
        listDeploymentInstancesPages: pages(client, sdk.paginateListDeploymentInstances),
        batchGetDeploymentInstances: bind(client, sdk.BatchGetDeploymentInstancesCommand),
      };
    }),
    sfn: once(async () => {
      await profileExists();
      const sdk = requireSdk('client-sfn');
      const settings = clientSettings('sfn', profile, options);
      const client = new sdk.SFNClient({ ...settings, ...limits, logger: SILENT });
      namesProfile(client, settings.profile);
      honourSignal(client, options.signal);
      return {
        client,
        listStateMachinesPages: pages(client, sdk.paginateListStateMachines),
        startExecution: bind(client, sdk.StartExecutionCommand),
        describeExecution: bind(client, sdk.DescribeExecutionCommand),
        listExecutionsPages: pages(client, sdk.paginateListExecutions),
        describeStateMachine: bind(client, sdk.DescribeStateMachineCommand),
        executionHistoryPages: pages(client, sdk.paginateGetExecutionHistory),
      };
    }),
    sts: once(async () => {
      await profileExists();
      const sdk = requireSdk('client-sts');
      const settings = clientSettings('sts', profile, options);
      const client = new sdk.STSClient({ ...settings, logger: SILENT });
      namesProfile(client, settings.profile);
      return { client, getCallerIdentity: bind(client, sdk.GetCallerIdentityCommand) };
    }),
  };
}
