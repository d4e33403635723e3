// The ion-dev compatible result maps of `deploy` and `deploy-status` (SPEC §6).

import { failureMap } from '../model/failure.js';
import { type DeploymentId, type DeploymentStatus, idField } from '../model/deployment.js';
import { statusCommandFor } from '../actions/deploy/wait.js';

export function deployMap(groupKey: string, id: DeploymentId): Record<string, string> {
  return {
    ...idField(id),
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
