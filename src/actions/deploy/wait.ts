// Wait for a deployment to reach a status (SPEC §3 `wait`, `deploy-status
// --wait`). Polling backs off through @smithy/util-waiter (min → max delay
// with jitter), never a hand-written retry loop; the AWS calls inside each
// poll are retried by the SDK's own retry strategy. A local status is final
// at the first look unless another process is still deploying.

import { setTimeout as sleep } from 'node:timers/promises';
import { createGroup } from '../../backends/group-factory.js';
import type { BackendOptions, ComputeGroup } from '../../backends/types.js';
import { type DeploymentId, type DeploymentStatus, idText, isFailed, isFailedDeployStatus, isFinal } from '../../model/deployment.js';
import type { DeployConfig } from '../../model/config.js';
import { InterruptedError, IonflowError, preconditionError } from '../../model/errors.js';
import { DeploymentFailedError } from './failed-error.js';
import { limitText } from '../../text/durations.js';

export interface WaitOptions {
  for?: 'SUCCEEDED' | 'RUNNING';
  timeoutMs: number;
  pollMs?: number;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
  /** Each line a status look prints (ion-dev's), when it runs a tool. */
  onLog?: (line: string) => void;
  backend?: BackendOptions;
}

export type PollOutcome = { state: 'done'; status: DeploymentStatus } | { state: 'timeout'; status?: DeploymentStatus };

/**
 * Poll `group.status(id)` until it is failed, or reaches `for` (SUCCEEDED:
 * final success; RUNNING: started, or already past it). Returns the last
 * status; never throws for a failed deployment (callers decide).
 */
export async function pollStatus(group: ComputeGroup, id: DeploymentId, options: Omit<WaitOptions, 'backend'>): Promise<PollOutcome> {
  const target = options.for ?? 'SUCCEEDED';
  const deadline = Date.now() + options.timeoutMs;
  // Each ion-dev look starts a JVM: keep them few (SPEC §16: at 2 s, then up to every 10 s).
  const defaultPoll = group.kind === 'local' ? [0.2, 1] : group.kind === 'ion-dev' ? [2, 10] : [2, 15];
  const maxWaitTime = Math.max(options.timeoutMs / 1000, 0.002);
  let [minDelay, maxDelay] = options.pollMs ? [options.pollMs / 1000, options.pollMs / 1000] : defaultPoll;
  minDelay = Math.min(minDelay!, maxWaitTime / 2);
  maxDelay = Math.max(minDelay, maxDelay!);
  let last: DeploymentStatus | undefined;
  let lastWord = '';
  const check = async (): Promise<boolean> => {
    const status = await group.status(id, { ...(options.signal ? { signal: options.signal } : {}), ...(options.onLog ? { onLog: options.onLog } : {}) });
    last = status;
    const word = `${status.deployStatus}/${status.codeDeployStatus}`;
    if (word !== lastWord) options.onProgress?.(`${group.key}: ${status.deployStatus} (CodeDeploy ${status.codeDeployStatus})`);
    lastWord = word;
    return isFailed(status) || isFinal(status) || (target === 'RUNNING' && status.deployStatus === 'RUNNING');
  };
  // A local deployment is final before deploy returns (SPEC §6), and an aws
  // one may be too: look once before loading the waiter at all. An ion-dev
  // deployment has only just started, and each look costs a JVM: its first
  // look is the waiter's own, after minDelay.
  if (group.kind === 'ion-dev') {
    await sleep(minDelay * 1000, undefined, options.signal ? { signal: options.signal } : {}).catch(() => {});
    if (options.signal?.aborted) throw new InterruptedError();
  } else if (await check()) return { state: 'done', status: last! };
  // lazy: @smithy/util-waiter costs 19 ms; a status already final, and statusCommandFor's users, do not need it (npm run bench -- imports; node -e 0: 85 ms)
  const { createWaiter, WaiterState } = await import('@smithy/util-waiter');
  // What is left of the timeout (the waiter insists it exceed minDelay; the deadline check below has the last word).
  const left = Math.max((deadline - Date.now()) / 1000, minDelay + 0.001);
  const result = await createWaiter(
    { client: group, maxWaitTime: left, minDelay, maxDelay, ...(options.signal ? { abortSignal: options.signal } : {}) },
    id,
    async () => ({ state: (await check()) ? WaiterState.SUCCESS : WaiterState.RETRY }),
  );
  if (result.state === WaiterState.ABORTED || options.signal?.aborted) throw new InterruptedError();
  if (result.state === WaiterState.TIMEOUT) {
    // The waiter gives up as soon as its next delay would pass the deadline,
    // up to one delay early: look once more at the deadline itself, so "did
    // not reach … within <timeout>" is true.
    const left = deadline - Date.now();
    if (left > 0) {
      await sleep(left, undefined, options.signal ? { signal: options.signal } : {}).catch(() => {});
      if (options.signal?.aborted) throw new InterruptedError();
    }
    if (!(await check())) return last ? { state: 'timeout', status: last } : { state: 'timeout' };
  }
  if (!last) return { state: 'timeout' };
  return { state: 'done', status: last };
}

export async function waitForDeployment(config: DeployConfig, groupKey: string, id: DeploymentId | undefined, options: WaitOptions): Promise<DeploymentStatus> {
  const group = await createGroup(config, groupKey, options.backend);
  const target = id ?? (await group.history(1))[0]?.id;
  if (!target)
    throw preconditionError(`group ${groupKey} has no deployment to wait for`, { hint: `deploy first: ionflow deploy --group ${groupKey} --rev <sha>` });
  const outcome = await pollStatus(group, target, options);
  if (outcome.state === 'done') {
    // lazy: ledger/track costs 10 ms; `ionflow deploy` loads this module (statusCommandFor) and does not need it (npm run bench -- imports; node -e 0: 85 ms)
    const { noteOutcome } = await import('../../backends/ledger/track.js');
    await noteOutcome(config, groupKey, target, outcome.status, options.backend);
  }
  const shown = idText(target);
  if (outcome.state === 'timeout') {
    throw new IonflowError(
      'timeout',
      `deployment ${shown} of group ${groupKey} did not reach ${options.for ?? 'SUCCEEDED'} within ${limitText(options.timeoutMs)} (last: ${outcome.status?.deployStatus ?? 'unknown'})`,
      {
        hint: `check it later with: ${statusCommandFor(groupKey, target)}`,
      },
    );
  }
  if (isFailed(outcome.status)) {
    const { deployStatus, codeDeployStatus, error, failure } = outcome.status;
    const word = isFailedDeployStatus(deployStatus) ? deployStatus : codeDeployStatus;
    throw new DeploymentFailedError(
      `deployment ${shown} of group ${groupKey} ${word}${error ? `: ${error}` : ''}`,
      failure,
      group.kind === 'local' ? `see its hooks' output: ionflow history ${groupKey} --json` : undefined,
    );
  }
  return outcome.status;
}

export function statusCommandFor(groupKey: string, id: DeploymentId): string {
  return 'executionArn' in id
    ? `ionflow deploy-status --execution-arn ${id.executionArn}`
    : `ionflow deploy-status --deployment-id ${id.deploymentId} --group ${groupKey}`;
}
