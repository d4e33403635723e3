// The ports between the use cases (actions/, the CLI's commands) and the back
// ends (SPEC §1). Those callers depend on these types only; `local`, `aws` and
// `ion-dev` implement them, and the factories pick one from config. Nothing
// here imports a back end.

import type { Readable } from 'node:stream';
import type { DeploymentId, DeploymentRecord, DeploymentStatus } from '../model/deployment.js';
import type { EntryPoints, RevisionMeta, RevisionName } from '../model/revision.js';

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

/** What a store holds under a name; each promise already asked, a failure surfacing where it is awaited. */
export interface StoredLookup {
  meta: Promise<RevisionMeta | undefined>;
  /** holds(meta) of the metadata found; false when none was. */
  intact: Promise<boolean>;
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
  /**
   * get(), and holds() of what it finds, asked together: what a push asks
   * before deciding to skip. On S3 both requests go out at once, one round
   * trip instead of two (a push of a new name pays one request that finds nothing).
   */
  lookup(appName: string, name: string, signal?: AbortSignal): StoredLookup;
  /** For an already stored revision: make sure it is registered (CodeDeploy); no-op locally. */
  ensureRegistered(meta: RevisionMeta, signal?: AbortSignal): Promise<void>;
  /** A local file holding the zip (downloaded to a temp file for S3). */
  fetchZip(meta: RevisionMeta, signal?: AbortSignal): Promise<{ path: string; cleanup(): Promise<void> }>;
  list(appName: string): Promise<RevisionMeta[]>;
  /** Deployment groups this store's back end knows for the app (CodeDeploy ListDeploymentGroups); [] locally. */
  remoteDeployGroups(appName: string): Promise<string[]>;
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
