// The ports between the engine/commands and the back ends (SPEC §1). The
// engine and the CLI depend on these types only; `local` and `aws` implement
// them, and the factories pick one from config. Nothing here imports a back end.

import type { Readable } from 'node:stream';

/** Entry points parsed from ion-config.edn, stored with each revision (SPEC §4). */
export interface EntryPoints {
  appName?: string;
  allow?: string[];
  lambdas?: Record<string, { fn: string; description?: string }>;
  httpDirect?: { handlerFn: string };
}

export type RevisionName = { rev: string; uname?: undefined } | { uname: string; rev?: undefined };

/** Metadata kept with each revision (SPEC §5). Serialised as `<name>.json`. */
export interface RevisionMeta {
  /** The 40-hex SHA or the uname. */
  name: string;
  rev?: string;
  uname?: string;
  appName: string;
  sha256: string;
  size: number;
  fileCount: number;
  pushedAt: string;
  /** git tree id of the archived content: same tree = same content (make-style skip). */
  tree: string;
  entryPoints: EntryPoints | null;
  /** A file path (local) or s3:// URL (aws). */
  location: string;
  /** aws only: what CodeDeploy was told. */
  s3?: { bucket: string; key: string; eTag: string; version?: string };
  /**
   * aws only: false from the upload until CodeDeploy registration succeeded,
   * then true. Absent (older pushes, local stores) counts as registered.
   */
  registered?: boolean;
}

export interface PutRevisionInput {
  appName: string;
  name: RevisionName;
  tree: string;
  entryPoints: EntryPoints | null;
  /** Files in the archive, recorded in the metadata; known once `body` has ended. */
  fileCount?: number | Promise<number>;
  /** The zip, streamed (never fully in memory). */
  body: Readable;
  signal?: AbortSignal;
  /** Bytes written so far, for progress. */
  onProgress?: (bytes: number) => void;
}

export interface RevisionStore {
  readonly kind: 'local' | 's3' | 'ion-dev';
  /** Human description, e.g. the folder or s3://bucket/prefix. */
  readonly where: string;
  /** The stored revision's metadata, or undefined when absent. */
  get(appName: string, name: string): Promise<RevisionMeta | undefined>;
  /** Stream a zip in; atomic: on failure or abort nothing is left registered. */
  put(input: PutRevisionInput): Promise<RevisionMeta>;
  /**
   * Whether the zip the metadata describes is still there as it was pushed
   * (same size locally; same ETag and version on S3): metadata alone does not
   * make a push up to date.
   */
  holds(meta: RevisionMeta, signal?: AbortSignal): Promise<boolean>;
  /** For an already stored revision: make sure it is registered (CodeDeploy); no-op locally. */
  ensureRegistered(meta: RevisionMeta, signal?: AbortSignal): Promise<void>;
  /** A local file holding the zip (downloaded to a temp file for S3). */
  fetchZip(meta: RevisionMeta, signal?: AbortSignal): Promise<{ path: string; cleanup(): Promise<void> }>;
  list(appName: string): Promise<RevisionMeta[]>;
  /** Deployment groups this store's back end knows for the app (CodeDeploy ListDeploymentGroups); [] locally. */
  remoteDeployGroups(appName: string): Promise<string[]>;
}

/** SPEC §6 status words. */
export type DeployStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
export type CodeDeployStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'STOPPED';

export interface DeploymentStatus {
  deployStatus: DeployStatus;
  codeDeployStatus: CodeDeployStatus;
  error?: string;
  /** Where and why a FAILED deployment failed (SPEC §13). */
  failure?: DeploymentFailure;
}

/**
 * SPEC §13: the lifecycle event that failed, on which target (local: the
 * group; CodeDeploy: the instance or target id), the script, how it ended,
 * and the last lines of its log. Step Functions adds the failed state.
 */
export interface DeploymentFailure {
  event?: string;
  target?: string;
  script?: string;
  exitCode?: number;
  timedOut?: boolean;
  message: string;
  /** At most the last 20 lines. */
  logTail?: string;
  /** via: step-functions: the state that failed. */
  state?: string;
}

/** How a deployment is addressed: the ion-dev `:execution-arn` or `:deployment-id`. */
export type DeploymentId = { executionArn: string } | { deploymentId: string };

export interface DeploymentRecord {
  /** `arn:ionflow:local:<group>:<id>`, a Step Functions execution ARN, or a CodeDeploy `d-…` id. */
  id: DeploymentId;
  group: string;
  appName: string;
  name: string;
  rev?: string;
  uname?: string;
  status: DeploymentStatus;
  startedAt: string;
  finishedAt?: string;
  /**
   * What was deployed, as far as the back end recorded it (local: the
   * revision's tree and sha256; aws: the S3 object's eTag), so a redeploy of
   * a uname with new content is not taken for the one already running.
   */
  content?: { tree?: string; sha256?: string; eTag?: string };
}

/** Progress of one deployment, for renderers (hook events, waiting on the group lock, …). */
export type DeployProgress = (message: string) => void;

export interface DeployInput {
  revision: RevisionMeta;
  store: RevisionStore;
  /**
   * The make-style check, asked again where the group serialises deployments
   * (a local group's lock), before anything is stopped: a deployment of this
   * revision it returns is reported instead of deploying again.
   */
  upToDate?: () => Promise<DeploymentRecord | undefined>;
  signal?: AbortSignal;
  onProgress?: DeployProgress;
  /** Told once the deployment exists (before a local one runs its hooks), so the ledger can record it. */
  onStarted?: (deployment: DeploymentRecord) => Promise<void>;
  /** Each line a local group's hook prints, as it arrives, with its lifecycle event. */
  onLog?: (event: string, line: string) => void;
  /** The pipeline run that deploys, for the deployment's record. */
  run?: string;
}

/** What a status look may use: Ctrl-C, and where a look that runs a tool (ion-dev) shows its lines. */
export interface StatusOptions {
  signal?: AbortSignal;
  onLog?: (line: string) => void;
}

export interface ComputeGroup {
  readonly kind: 'local' | 'aws' | 'ion-dev';
  readonly key: string;
  /**
   * Start a deployment. Local groups finish before returning (SPEC §6); aws
   * groups return once the execution/deployment is created.
   */
  deploy(input: DeployInput): Promise<DeploymentRecord>;
  status(id: DeploymentId, options?: StatusOptions): Promise<DeploymentStatus>;
  /** Newest first. */
  history(limit?: number): Promise<DeploymentRecord[]>;
}

/** What the command line adds to a profile for the aws back end (SPEC §10). */
export interface BackendOptions {
  /** --creds-profile: overrides the profile's aws-profile. */
  credsProfile?: string;
  /** --region: overrides the profile's region. */
  region?: string;
  /** The environment to read AWS_* variables from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** The run's abort signal (Ctrl-C, SIGTERM): every AWS call gives up when it aborts. */
  signal?: AbortSignal;
}
