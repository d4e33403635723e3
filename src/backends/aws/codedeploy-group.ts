// The CodeDeploy side of an aws group (SPEC §6): CreateDeployment for
// `via: codedeploy`, and GetDeployment/ListDeployments for status and history
// of both vias. Only the calls listed in clients.ts are used.

import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import { IonflowError } from '../../model/errors.js';
import type { DeploymentRecord } from '../../model/deployment.js';
import type { RevisionMeta } from '../../model/revision.js';
import type { CodeDeployApi } from './clients.js';
import { toIonflowError } from './hints.js';
import { codeDeployAsDeployWord, codeDeployWord, oneLine } from './status.js';

export interface CodeDeployTarget {
  applicationName: string;
  deploymentGroupName: string;
  groupKey: string;
}

export function s3RevisionOf(meta: RevisionMeta, groupKey: string) {
  if (!meta.s3) {
    throw new IonflowError('usage', `revision ${meta.name} is not in S3, so aws group ${groupKey} cannot deploy it`, {
      hint: `give the app an s3 store in deploy.yaml and push again`,
    });
  }
  const { bucket, key, eTag, version } = meta.s3;
  return { bucket, key, eTag, bundleType: 'zip' as const, ...(version ? { version } : {}) };
}

export async function createDeployment(
  cd: CodeDeployApi,
  target: CodeDeployTarget,
  meta: RevisionMeta,
  options: { rollback?: 'auto'; signal?: AbortSignal },
): Promise<string> {
  const s3Location = s3RevisionOf(meta, target.groupKey);
  try {
    const out = await cd.createDeployment(
      {
        applicationName: target.applicationName,
        deploymentGroupName: target.deploymentGroupName,
        revision: { revisionType: 'S3', s3Location },
        description: `ionflow: ${meta.rev ? `rev ${meta.rev}` : `uname ${meta.uname}`}`,
        ...(options.rollback === 'auto' ? { autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] } } : {}),
      },
      options.signal,
    );
    if (!out.deploymentId) throw new Error('CreateDeployment returned no deploymentId');
    return out.deploymentId;
  } catch (err) {
    if ((err as { name?: string }).name === 'DeploymentLimitExceededException') {
      throw new IonflowError(
        'precondition',
        `group ${target.groupKey} is busy: deployment group ${target.deploymentGroupName} already has a deployment in progress`,
        {
          hint: `wait for it (ionflow deploy-status … --wait) and deploy again`,
          cause: err,
        },
      );
    }
    throw toIonflowError(err, `CreateDeployment to ${target.applicationName}/${target.deploymentGroupName}`);
  }
}

export async function getDeployment(cd: CodeDeployApi, deploymentId: string, signal?: AbortSignal): Promise<DeploymentInfo> {
  try {
    const out = await cd.getDeployment({ deploymentId }, signal);
    if (!out.deploymentInfo) throw new Error(`GetDeployment returned nothing for ${deploymentId}`);
    return out.deploymentInfo;
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === 'DeploymentDoesNotExistException' || name === 'InvalidDeploymentIdException') {
      throw new IonflowError('usage', `no CodeDeploy deployment ${deploymentId}`, {
        hint: 'check the id (as printed by deploy) and the region (--region or the group profile’s)',
        cause: err,
      });
    }
    throw toIonflowError(err, `GetDeployment ${deploymentId}`);
  }
}

/** Deployment ids of the group, newest first as CodeDeploy lists them, up to `limit`. */
export async function listDeploymentIds(
  cd: CodeDeployApi,
  target: CodeDeployTarget,
  options: { since?: Date; limit?: number; signal?: AbortSignal } = {},
): Promise<string[]> {
  const ids: string[] = [];
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const input = {
    applicationName: target.applicationName,
    deploymentGroupName: target.deploymentGroupName,
    ...(options.since ? { createTimeRange: { start: options.since } } : {}),
  };
  try {
    for await (const page of cd.listDeploymentsPages(input, options.signal)) {
      ids.push(...(page.deployments ?? []));
      if (ids.length >= limit) break;
    }
  } catch (err) {
    throw toIonflowError(err, `ListDeployments of ${target.applicationName}/${target.deploymentGroupName}`);
  }
  return ids.slice(0, limit);
}

/** Newest first by creation time (ListDeployments promises no order). */
export async function getDeployments(cd: CodeDeployApi, ids: string[], signal?: AbortSignal): Promise<DeploymentInfo[]> {
  const infos = await Promise.all(ids.map((id) => getDeployment(cd, id, signal)));
  return infos.sort((a, b) => (b.createTime?.getTime() ?? 0) - (a.createTime?.getTime() ?? 0));
}

export function deploymentError(info: DeploymentInfo): string | undefined {
  const e = info.errorInformation;
  if (!e?.message && !e?.code) return undefined;
  return oneLine([e.code, e.message].filter(Boolean).join(': '));
}

/** `<prefix><app-name>/<name>.zip` → `<name>`. */
export function revisionNameFromKey(key: string | undefined): string {
  const base = (key ?? '').split('/').pop() ?? '';
  return base.endsWith('.zip') ? base.slice(0, -4) : base;
}

export function toRecord(info: DeploymentInfo, groupKey: string): DeploymentRecord {
  const name = revisionNameFromKey(info.revision?.s3Location?.key);
  const eTag = info.revision?.s3Location?.eTag?.replaceAll('"', '');
  const error = deploymentError(info);
  return {
    id: { deploymentId: info.deploymentId ?? '' },
    group: groupKey,
    appName: info.applicationName ?? '',
    name,
    ...(/^[0-9a-f]{40}$/.test(name) ? { rev: name } : { uname: name }),
    status: {
      deployStatus: codeDeployAsDeployWord(info.status),
      codeDeployStatus: codeDeployWord(info.status),
      ...(error ? { error } : {}),
    },
    startedAt: (info.createTime ?? new Date(0)).toISOString(),
    ...(info.completeTime ? { finishedAt: info.completeTime.toISOString() } : {}),
    ...(eTag ? { content: { eTag } } : {}),
  };
}
