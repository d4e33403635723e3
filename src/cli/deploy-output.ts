// The ion-dev compatible result maps of `deploy` and `deploy-status` (SPEC §6).

import { failureMap } from '../model/failure.js';
import type { DeploymentId, DeploymentStatus } from '../model/deployment.js';
import { statusCommandFor } from '../actions/deploy/wait.js';

export function deployMap(groupKey: string, id: DeploymentId): Record<string, string> {
  const key: Record<string, string> =
    'executionArn' in id ? { 'execution-arn': id.executionArn } : { 'deployment-id': id.deploymentId };
  return {
    ...key,
    'status-command': statusCommandFor(groupKey, id),
    doc: 'To check the status of your deployment, issue the :status-command.',
  };
}

export function statusMap(status: DeploymentStatus): Record<string, string | Record<string, string | number | boolean>> {
  return {
    'deploy-status': status.deployStatus,
    'code-deploy-status': status.codeDeployStatus,
    ...(status.error ? { error: status.error } : {}),
    ...(status.failure ? { failure: failureMap(status.failure) } : {}),
  };
}
