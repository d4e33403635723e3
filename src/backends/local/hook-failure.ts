// SPEC §13 for the local back end: a FAILED deployment's `failure` comes from
// the hook that failed (its event, script, exit code or timeout, output tail);
// a deployment that failed before any hook (a refused zip, a broken
// appspec.yml) names the step it was at.

import { logTail } from '../../model/failure.js';
import type { DeploymentFailure } from '../../model/deployment.js';
import { describeFailure, type HookRun } from './hook-run.js';
import type { LocalDeploymentFile } from './deployment-file.js';

export function hookFailure(run: HookRun, group: string): DeploymentFailure {
  const tail = logTail(run.outputTail);
  return {
    event: run.event,
    target: group,
    script: run.location,
    ...(run.timedOut ? { timedOut: true } : run.exitCode !== null ? { exitCode: run.exitCode } : {}),
    message: describeFailure(run),
    ...(tail ? { logTail: tail } : {}),
  };
}

/**
 * The failure of a FAILED record: the one recorded, else (records written
 * before failures were) its last hook that did not exit 0, else its error.
 */
export function failureOf(record: Pick<LocalDeploymentFile, 'status' | 'error' | 'group' | 'hooks' | 'failure'>): DeploymentFailure | undefined {
  if (record.status !== 'FAILED') return undefined;
  if (record.failure) return record.failure;
  const hook = record.hooks?.findLast((h) => h.exitCode !== 0);
  if (hook) return hookFailure(hook, record.group);
  return { target: record.group, message: record.error ?? 'the deployment failed' };
}
