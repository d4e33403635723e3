// SPEC §6 status words for what AWS reports. CodeDeploy: Created, Queued,
// InProgress, Baking and Ready read as RUNNING. Step Functions execution
// statuses are already the deploy-status words (PENDING_REDRIVE: RUNNING).

import { type CodeDeployStatus, type DeployStatus, isDeployStatus } from '../../model/deployment.js';

const CODEDEPLOY_WORDS: Record<string, CodeDeployStatus> = {
  Created: 'RUNNING',
  Queued: 'RUNNING',
  InProgress: 'RUNNING',
  Baking: 'RUNNING',
  Ready: 'RUNNING',
  Succeeded: 'SUCCEEDED',
  Failed: 'FAILED',
  Stopped: 'STOPPED',
};

/** A CodeDeploy deployment status in the `:code-deploy-status` words. */
export function codeDeployWord(status: string | undefined): CodeDeployStatus {
  return (status && CODEDEPLOY_WORDS[status]) || 'RUNNING';
}

/** A CodeDeploy deployment's own status in the `:deploy-status` words (via: codedeploy, history). */
export function codeDeployAsDeployWord(status: string | undefined): DeployStatus {
  const word = codeDeployWord(status);
  if (word === 'STOPPED') return 'ABORTED';
  return word;
}

/** A Step Functions execution status in the `:deploy-status` words. */
export function executionWord(status: string | undefined): DeployStatus {
  return isDeployStatus(status) ? status : 'RUNNING';
}

/**
 * The `:code-deploy-status` of an execution whose deployment is not (yet)
 * visible: still coming while the execution runs; failed if it ended without one.
 */
export function codeDeployWordWithout(execution: DeployStatus): CodeDeployStatus {
  if (execution === 'RUNNING') return 'RUNNING';
  if (execution === 'SUCCEEDED') return 'SUCCEEDED';
  return execution === 'FAILED' ? 'FAILED' : 'STOPPED';
}

/** One line for `:error`: the cause may be a long JSON document. */
export function oneLine(text: string, max = 400): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
