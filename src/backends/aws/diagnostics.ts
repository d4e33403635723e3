// SPEC §13 for the aws back end: where a FAILED deployment failed.
// CodeDeploy: the first failed deployment target and its failed lifecycle
// event's diagnostics (ListDeploymentTargets + BatchGetDeploymentTargets;
// ListDeploymentInstances + BatchGetDeploymentInstances where targets are not
// available), plus the deployment's errorInformation. Step Functions: the
// failed state's name, error and cause from the execution history.
//
// Diagnostics only explain a failure already known: a call that fails here
// (no permission for ListDeploymentTargets, say) leaves the failure with what
// GetDeployment said, never turns the status into an error of its own.

import type { DeploymentInfo, LifecycleEvent } from '@aws-sdk/client-codedeploy';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { logTail } from '../../model/failure.js';
import type { DeploymentFailure } from '../../model/deployment.js';
import type { CodeDeployApi, SfnApi } from './clients.js';
import { oneLine } from './status.js';

interface FailedTarget {
  id: string;
  events: LifecycleEvent[];
}

/** BatchGet* take at most 25 ids a call. */
const BATCH = 25;

async function failedTargetViaTargets(cd: CodeDeployApi, deploymentId: string): Promise<FailedTarget | undefined> {
  let nextToken: string | undefined;
  do {
    const page = await cd.listDeploymentTargets({
      deploymentId,
      targetFilters: { TargetStatus: ['Failed'] },
      ...(nextToken ? { nextToken } : {}),
    });
    const ids = page.targetIds ?? [];
    for (let i = 0; i < ids.length; i += BATCH) {
      const out = await cd.batchGetDeploymentTargets({ deploymentId, targetIds: ids.slice(i, i + BATCH) });
      for (const t of out.deploymentTargets ?? []) {
        const target = t.instanceTarget ?? t.lambdaTarget ?? t.ecsTarget ?? t.cloudFormationTarget;
        if (target?.status === 'Failed') return { id: target.targetId ?? ids[i]!, events: target.lifecycleEvents ?? [] };
      }
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return undefined;
}

async function failedTargetViaInstances(cd: CodeDeployApi, deploymentId: string): Promise<FailedTarget | undefined> {
  for await (const page of cd.listDeploymentInstancesPages({ deploymentId, instanceStatusFilter: ['Failed'] })) {
    const ids = page.instancesList ?? [];
    for (let i = 0; i < ids.length; i += BATCH) {
      const out = await cd.batchGetDeploymentInstances({ deploymentId, instanceIds: ids.slice(i, i + BATCH) });
      const failed = (out.instancesSummary ?? []).find((s) => s.status === 'Failed');
      if (failed) return { id: failed.instanceId ?? ids[i]!, events: failed.lifecycleEvents ?? [] };
    }
  }
  return undefined;
}

async function firstFailedTarget(cd: CodeDeployApi, deploymentId: string): Promise<FailedTarget | undefined> {
  try {
    return await failedTargetViaTargets(cd, deploymentId);
  } catch {
    return await failedTargetViaInstances(cd, deploymentId).catch(() => undefined);
  }
}

/** CodeDeploy states the exit code only in its message: "... failed with exit code 1". */
function exitCodeIn(message: string | undefined): number | undefined {
  const m = /exit code (\d+)/i.exec(message ?? '');
  return m ? Number(m[1]) : undefined;
}

function errorInformation(info: DeploymentInfo): string | undefined {
  const e = info.errorInformation;
  if (!e?.message && !e?.code) return undefined;
  return oneLine([e.code, e.message].filter(Boolean).join(': '));
}

/** The failure of a failed CodeDeploy deployment. */
export async function codeDeployFailure(cd: CodeDeployApi, info: DeploymentInfo): Promise<DeploymentFailure> {
  const deploymentError = errorInformation(info);
  const target = info.deploymentId ? await firstFailedTarget(cd, info.deploymentId) : undefined;
  const event =
    target?.events.find((e) => e.status === 'Failed') ?? target?.events.find((e) => e.diagnostics?.errorCode && e.diagnostics.errorCode !== 'Success');
  const d = event?.diagnostics;
  const exitCode = exitCodeIn(d?.message);
  const tail = logTail(d?.logTail);
  return {
    ...(event?.lifecycleEventName ? { event: event.lifecycleEventName } : {}),
    ...(target ? { target: target.id } : {}),
    ...(d?.scriptName ? { script: d.scriptName } : {}),
    ...(d?.errorCode === 'ScriptTimedOut' ? { timedOut: true } : exitCode !== undefined ? { exitCode } : {}),
    message: oneLine(d?.message || deploymentError || `deployment ${info.deploymentId ?? ''} ${info.status ?? 'failed'}`),
    ...(tail ? { logTail: tail } : {}),
  };
}

/** The `…FailedEventDetails`-like part of an event: error and cause of a failure, timeout or abort. */
function failureDetails(e: HistoryEvent): { error?: string | undefined; cause?: string | undefined } | undefined {
  if (!/(Failed|TimedOut|Aborted)$/.test(e.type ?? '')) return undefined;
  for (const [key, value] of Object.entries(e)) {
    if (key.endsWith('EventDetails') && value && typeof value === 'object' && ('error' in value || 'cause' in value)) {
      return value as { error?: string; cause?: string };
    }
  }
  return {};
}

/**
 * The state that failed and why, from GetExecutionHistory (through the SDK's
 * paginator): the first failing event inside a state, named by the state the
 * execution had entered last; else the execution's own failure.
 */
export async function executionFailure(sfn: SfnApi, executionArn: string): Promise<{ state?: string; error?: string; cause?: string } | undefined> {
  let state: string | undefined;
  let execution: { error?: string | undefined; cause?: string | undefined } | undefined;
  try {
    for await (const page of sfn.executionHistoryPages({ executionArn, includeExecutionData: true })) {
      for (const e of page.events ?? []) {
        if (e.stateEnteredEventDetails?.name) state = e.stateEnteredEventDetails.name;
        const details = failureDetails(e);
        if (!details) continue;
        if (e.type?.startsWith('Execution')) execution = details;
        else if (state) return { state, ...clean(details) };
      }
    }
  } catch {
    return undefined;
  }
  return execution ? { ...(state ? { state } : {}), ...clean(execution) } : undefined;
}

function clean(d: { error?: string | undefined; cause?: string | undefined }): { error?: string; cause?: string } {
  return { ...(d.error ? { error: d.error } : {}), ...(d.cause ? { cause: d.cause } : {}) };
}
