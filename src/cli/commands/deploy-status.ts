// `ionflow deploy-status (--execution-arn | --deployment-id --group | --group) [--wait]`
// and `{:op :deploy-status …}`: `{:deploy-status … :code-deploy-status …}`
// (+ `:error`), SPEC §6. Exit 1 when the deployment failed, 4 when --wait
// gave up. Local execution ARNs carry their group; a Step Functions ARN is
// matched to the group whose state machine it belongs to.

import { createGroup } from '../../backends/group-factory.js';
import { ionDevGroupOfExecution } from '../../backends/ion-dev/find-group.js';
import { type DeploymentId, type DeploymentStatus, parseLocalArn } from '../../model/deployment.js';
import { loadConfig } from '../../config/load.js';
import type { DeployConfig } from '../../model/config.js';
import { failureLines } from '../../model/failure.js';
import { statusMap } from '../deploy-output.js';
import { pollStatus, statusCommandFor } from '../../actions/deploy/wait.js';
import { isFailed } from '../../model/deployment.js';
import { ExitCode, IonflowError, preconditionError, usageError } from '../../model/errors.js';
import { noteOutcome } from '../../backends/ledger/track.js';
import { backendOptions, type CliContext } from '../context.js';
import { limitText } from '../../text/durations.js';

export interface DeployStatusOptions {
  executionArn?: string;
  deploymentId?: string;
  group?: string;
  wait?: boolean;
}

const WAIT_TIMEOUT_MS = 30 * 60_000;

/** `arn:aws:states:<region>:<account>:execution:<state machine>:<name>` → the state machine's name. */
function stateMachineOf(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts[5] === 'execution' ? parts[6] : undefined;
}

function groupOfExecution(config: DeployConfig, arn: string, given: string | undefined): string {
  const local = parseLocalArn(arn);
  if (local) {
    if (!config.groups[local.group]) throw usageError(`${arn} names group ${local.group}, which deploy.yaml does not declare`);
    return local.group;
  }
  if (given) return given;
  const name = stateMachineOf(arn);
  const candidates = Object.values(config.groups).filter((g) => g.kind === 'aws' && g.via === 'step-functions');
  const matching = candidates.filter((g) => g.kind === 'aws' && (g.stateMachine === name || g.stateMachine.endsWith(`:stateMachine:${name}`)));
  const found = matching.length === 1 ? matching : candidates.length === 1 ? candidates : [];
  if (found[0]) return found[0].key;
  throw usageError(`cannot tell which group of deploy.yaml ran ${arn}`, { hint: 'add --group <g>' });
}

function target(config: DeployConfig, options: DeployStatusOptions): { groupKey: string; id?: DeploymentId } {
  if (options.executionArn && options.deploymentId) throw usageError('give --execution-arn or --deployment-id, not both');
  if (options.executionArn) {
    return { groupKey: groupOfExecution(config, options.executionArn, options.group), id: { executionArn: options.executionArn } };
  }
  if (options.deploymentId) {
    const local = parseLocalArn(options.deploymentId);
    const groupKey = options.group ?? local?.group;
    if (!groupKey) throw usageError('--deployment-id needs --group <g>');
    return { groupKey, id: { deploymentId: options.deploymentId } };
  }
  // Beyond ion-dev: `--group g` alone asks about the group's latest deployment.
  if (options.group) return { groupKey: options.group };
  throw usageError('say which deployment: --execution-arn <arn>, --deployment-id <id> --group <g>, or --group <g> for its latest');
}

/** An execution that an ion-dev group of deploy.yaml ran (SPEC §16), found without --group. */
async function ionDevTarget(config: DeployConfig, options: DeployStatusOptions): Promise<{ groupKey: string; id: DeploymentId } | undefined> {
  const arn = options.executionArn;
  if (!arn || options.group || options.deploymentId || parseLocalArn(arn)) return undefined;
  if (!Object.values(config.groups).some((g) => g.kind === 'ion-dev')) return undefined;
  const groupKey = await ionDevGroupOfExecution(config, arn);
  return groupKey === undefined ? undefined : { groupKey, id: { executionArn: arn } };
}

export default async function deployStatus(ctx: CliContext, options: DeployStatusOptions): Promise<number> {
  const config = await loadConfig({ config: ctx.global.config, cwd: ctx.cwd });
  const { groupKey, id: given } = (await ionDevTarget(config, options)) ?? target(config, options);
  const group = await createGroup(config, groupKey, backendOptions(ctx));
  const id = given ?? (await group.history(1))[0]?.id;
  if (!id) throw preconditionError(`group ${groupKey} has no deployments yet`);
  let status: DeploymentStatus;
  if (options.wait) {
    const outcome = await pollStatus(group, id, { timeoutMs: WAIT_TIMEOUT_MS, signal: ctx.signal, onProgress: (m) => ctx.log(m), onLog: (m) => ctx.log(m) });
    if (outcome.state === 'timeout') {
      if (outcome.status) ctx.print(statusMap(outcome.status));
      throw new IonflowError('timeout', `the deployment did not finish within ${limitText(WAIT_TIMEOUT_MS)}`, {
        hint: `check again with: ${statusCommandFor(groupKey, id)}`,
      });
    }
    status = outcome.status;
  } else {
    status = await group.status(id, { signal: ctx.signal, onLog: (m) => ctx.log(m) });
  }
  await noteOutcome(config, groupKey, id, status, backendOptions(ctx));
  ctx.print(statusMap(status));
  if (isFailed(status)) {
    ctx.log(
      `error: the deployment ${status.deployStatus === 'RUNNING' ? status.codeDeployStatus : status.deployStatus}${status.error ? `: ${status.error}` : ''}`,
    );
    if (status.failure) for (const line of failureLines(status.failure)) ctx.log(line);
    return ExitCode.stepFailed;
  }
  return ExitCode.ok;
}
