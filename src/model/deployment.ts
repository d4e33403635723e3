// A deployment (SPEC §6, §13): its status words, how it is addressed, and the
// record every back end keeps. Which statuses are final or failed is decided
// here once, for wait, the step runner, the ledger and the CLI.

import type { RevisionMeta } from './revision.js';

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

// A local group's deployments are addressed like Step Functions executions, by
// an ARN of ionflow's own that names the group, so `deploy-status
// --execution-arn` finds the group without a --group, whichever back end it is.
const LOCAL_ARN_PREFIX = 'arn:ionflow:local:';

export const localArn = (group: string, id: string) => `${LOCAL_ARN_PREFIX}${group}:${id}`;

/** `arn:ionflow:local:<group>:<id>` → its parts; undefined for any other ARN. */
export function parseLocalArn(arn: string): { group: string; id: string } | undefined {
  if (!arn.startsWith(LOCAL_ARN_PREFIX)) return undefined;
  const rest = arn.slice(LOCAL_ARN_PREFIX.length);
  const colon = rest.lastIndexOf(':');
  if (colon <= 0 || colon === rest.length - 1) return undefined;
  return { group: rest.slice(0, colon), id: rest.slice(colon + 1) };
}

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

const DEPLOY_STATUSES: ReadonlySet<string> = new Set<DeployStatus>(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']);
const FAILED_DEPLOY: ReadonlySet<DeployStatus> = new Set(['FAILED', 'ABORTED', 'TIMED_OUT']);
const FAILED_CODEDEPLOY: ReadonlySet<CodeDeployStatus> = new Set(['FAILED', 'STOPPED']);

/** Whether a word another tool reports (a Step Functions execution status, ion-dev's `:deploy-status`) is one of SPEC §6's. */
export const isDeployStatus = (word: string | undefined): word is DeployStatus => word !== undefined && DEPLOY_STATUSES.has(word);

/** The SPEC §6 words that end a deployment unsuccessfully. */
export const isFailedDeployStatus = (status: DeployStatus): boolean => FAILED_DEPLOY.has(status);

export function isFailed(status: DeploymentStatus): boolean {
  return FAILED_DEPLOY.has(status.deployStatus) || FAILED_CODEDEPLOY.has(status.codeDeployStatus);
}

export function isFinal(status: DeploymentStatus): boolean {
  return isFailed(status) || (status.deployStatus === 'SUCCEEDED' && status.codeDeployStatus === 'SUCCEEDED');
}

/** The id as users type it: the execution ARN or the CodeDeploy/local deployment id. */
export const idText = (id: DeploymentId): string => ('executionArn' in id ? id.executionArn : id.deploymentId);

/** The id as a field of result maps, step-end facts and ledger records: ion-dev's `execution-arn` or `deployment-id` (SPEC §6). */
export const idField = (id: DeploymentId): { 'execution-arn': string } | { 'deployment-id': string } =>
  'executionArn' in id ? { 'execution-arn': id.executionArn } : { 'deployment-id': id.deploymentId };

/**
 * Whether a deployment put exactly this revision on the group: the same name
 * and, where the back end recorded it, the same content (tree, else sha256,
 * else the S3 eTag). A uname names whatever the work tree held at its push,
 * so without recorded content it is never taken as the same; a 40-hex rev
 * names one commit, so an older record without content still matches by name.
 */
export function sameRevision(record: DeploymentRecord, meta: RevisionMeta): boolean {
  if (record.name !== meta.name) return false;
  const content = record.content ?? {};
  if (content.tree && meta.tree) return content.tree === meta.tree;
  if (content.sha256 && meta.sha256) return content.sha256 === meta.sha256;
  const storeETag = meta.s3?.eTag.replaceAll('"', '');
  if (content.eTag && storeETag) return content.eTag === storeETag;
  return meta.rev !== undefined;
}
