// One deployment in an app's release ledger (SPEC §11): the JSON object kept
// at `<group>/<id>.json` in the app's store, in the kebab-case keys of every
// other JSON ionflow writes. A record is written when the deployment starts
// and rewritten when ionflow sees it end.

import { type DeploymentId, type DeploymentRecord, type DeployStatus, idField, idText } from '../../model/deployment.js';
import { toRevisionName, type RevisionMeta } from '../../model/revision.js';

export interface LedgerRecord {
  group: string;
  app: string;
  rev?: string;
  uname?: string;
  /** `sha256:<hex>` of the revision's zip, as the store recorded it at push. */
  digest?: string;
  /** The git tree of the pushed content: same tree, same content. */
  tree?: string;
  'deployment-id'?: string;
  'execution-arn'?: string;
  'deploy-status': DeployStatus;
  error?: string;
  'started-at': string;
  'ended-at'?: string;
  by: string;
  run?: string;
  reason?: string;
}

/** What a ledger record adds to a back end's deployment record (history, status). */
export interface LedgerDeployment extends DeploymentRecord {
  by?: string;
  run?: string;
  reason?: string;
}

export const isFinalWord = (word: DeployStatus) => word !== 'RUNNING';

/** The file name of a deployment: its `d-…` id, or the execution's name (the last part of its ARN). */
export function ledgerId(id: DeploymentId): string {
  const text = idText(id);
  return text.slice(text.lastIndexOf(':') + 1);
}

export function recordId(record: LedgerRecord): DeploymentId {
  return record['execution-arn'] !== undefined ? { executionArn: record['execution-arn'] } : { deploymentId: record['deployment-id'] ?? '' };
}

export const recordName = (r: Pick<LedgerRecord, 'rev' | 'uname'>): string => r.rev ?? r.uname ?? '?';

export interface StartFacts {
  by: string;
  run?: string | undefined;
  reason?: string | undefined;
}

/** The ledger record of a deployment a back end has started (or finished, for local groups). */
export function toLedgerRecord(deployment: DeploymentRecord, meta: RevisionMeta, facts: StartFacts): LedgerRecord {
  const status = deployment.status.deployStatus;
  return {
    group: deployment.group,
    app: deployment.appName,
    ...toRevisionName(meta),
    ...(meta.sha256 ? { digest: `sha256:${meta.sha256}` } : {}),
    ...(meta.tree ? { tree: meta.tree } : {}),
    ...idField(deployment.id),
    'deploy-status': status,
    ...(deployment.status.error ? { error: deployment.status.error } : {}),
    'started-at': deployment.startedAt,
    ...(isFinalWord(status) ? { 'ended-at': deployment.finishedAt ?? new Date().toISOString() } : {}),
    by: facts.by,
    ...(facts.run ? { run: facts.run } : {}),
    ...(facts.reason ? { reason: facts.reason } : {}),
  };
}

const CODE_DEPLOY_WORD = { RUNNING: 'RUNNING', SUCCEEDED: 'SUCCEEDED', FAILED: 'FAILED', TIMED_OUT: 'FAILED', ABORTED: 'STOPPED' } as const;

/** A ledger record in the shape `history` and the rest of ionflow read deployments. */
export function toDeployment(record: LedgerRecord): LedgerDeployment {
  const word = record['deploy-status'];
  const sha256 = record.digest?.startsWith('sha256:') ? record.digest.slice(7) : undefined;
  return {
    id: recordId(record),
    group: record.group,
    appName: record.app,
    name: recordName(record),
    ...(record.rev ? { rev: record.rev } : {}),
    ...(record.uname ? { uname: record.uname } : {}),
    status: { deployStatus: word, codeDeployStatus: CODE_DEPLOY_WORD[word], ...(record.error ? { error: record.error } : {}) },
    startedAt: record['started-at'],
    ...(record['ended-at'] ? { finishedAt: record['ended-at'] } : {}),
    ...(record.tree || sha256 ? { content: { ...(record.tree ? { tree: record.tree } : {}), ...(sha256 ? { sha256 } : {}) } } : {}),
    by: record.by,
    ...(record.run ? { run: record.run } : {}),
    ...(record.reason ? { reason: record.reason } : {}),
  };
}

/** Newest first, by start time (CodeDeploy ids do not sort by time). */
export const newestFirst = <T extends { startedAt: string }>(a: T, b: T) => b.startedAt.localeCompare(a.startedAt);
