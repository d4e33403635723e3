// `via: step-functions` (SPEC §6): the Datomic way of deploying — start an
// execution of the group's state machine, which drives CodeDeploy. Only the
// Step Functions calls of clients.ts are used.

import type { DescribeExecutionCommandOutput } from '@aws-sdk/client-sfn';
import { IonflowError } from '../../model/errors.js';
import type { SfnApi } from './clients.js';
import { toIonflowError } from './hints.js';

export interface ExecutionInput {
  app: string;
  group: string;
  deploymentGroup: string;
  rev?: string;
  uname?: string;
  bucket: string;
  key: string;
  eTag: string;
}

async function regionOf(sfn: SfnApi): Promise<string> {
  const region = sfn.client.config.region;
  return typeof region === 'function' ? await region() : String(region);
}

/** A state machine ARN is used as is; a name is looked up with ListStateMachines (all pages). */
export async function resolveStateMachine(sfn: SfnApi, nameOrArn: string, groupKey: string, signal?: AbortSignal): Promise<string> {
  if (nameOrArn.startsWith('arn:')) return nameOrArn;
  const seen: string[] = [];
  try {
    for await (const page of sfn.listStateMachinesPages({ maxResults: 1000 }, signal)) {
      for (const sm of page.stateMachines ?? []) {
        if (sm.name === nameOrArn && sm.stateMachineArn) return sm.stateMachineArn;
        if (sm.name) seen.push(sm.name);
      }
    }
  } catch (err) {
    throw toIonflowError(err, `ListStateMachines (group ${groupKey})`);
  }
  const region = await regionOf(sfn).catch(() => 'the current region');
  const similar = seen.filter((n) => n.startsWith('datomic-')).slice(0, 5);
  throw new IonflowError('stepFailed', `group ${groupKey}: no Step Functions state machine named ${nameOrArn} in ${region}`, {
    hint:
      `check groups.${groupKey}.aws.state-machine, and the profile's region (or --region): the state machine lives in the compute stack's region` +
      (similar.length ? `; state machines here: ${similar.join(', ')}` : ''),
  });
}

export async function startExecution(
  sfn: SfnApi,
  stateMachineArn: string,
  input: ExecutionInput,
  signal?: AbortSignal,
): Promise<{ executionArn: string; startDate: Date }> {
  try {
    const out = await sfn.startExecution({ stateMachineArn, input: JSON.stringify(input) }, signal);
    if (!out.executionArn) throw new Error('StartExecution returned no executionArn');
    return { executionArn: out.executionArn, startDate: out.startDate ?? new Date() };
  } catch (err) {
    throw toIonflowError(err, `StartExecution ${stateMachineArn}`);
  }
}

export async function describeExecution(sfn: SfnApi, executionArn: string, signal?: AbortSignal): Promise<DescribeExecutionCommandOutput> {
  try {
    return await sfn.describeExecution({ executionArn }, signal);
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === 'ExecutionDoesNotExist' || name === 'InvalidArn') {
      throw new IonflowError('usage', `no Step Functions execution ${executionArn}`, {
        hint: 'check the ARN (as printed by deploy) and the region (--region or the group profile’s)',
        cause: err,
      });
    }
    throw toIonflowError(err, `DescribeExecution ${executionArn}`);
  }
}

/**
 * The newest RUNNING execution of the state machine that deploys this group
 * (SPEC §3: one deployment per group at a time), or undefined. ListExecutions
 * does not return inputs, so each running one is described: its input names
 * the group or deployment group it drives; an execution whose input names
 * neither (not started by ionflow) counts, the state machine being the group's.
 */
export async function runningExecutionFor(
  sfn: SfnApi,
  stateMachineArn: string,
  target: { group: string; deploymentGroup: string },
  signal?: AbortSignal,
): Promise<string | undefined> {
  const pages = sfn.listExecutionsPages({ stateMachineArn, statusFilter: 'RUNNING', maxResults: 100 }, signal);
  try {
    for await (const page of pages) {
      for (const execution of page.executions ?? []) {
        if (!execution.executionArn) continue;
        // Its errors are IonflowErrors already, which toIonflowError below passes through.
        const described = await describeExecution(sfn, execution.executionArn, signal);
        if (described.status !== 'RUNNING') continue;
        const input = parseExecutionInput(described.input);
        const names = [input?.group, input?.deploymentGroup].filter((n): n is string => typeof n === 'string');
        if (names.length === 0 || names.includes(target.group) || input?.deploymentGroup === target.deploymentGroup) {
          return execution.executionArn;
        }
      }
    }
  } catch (err) {
    throw toIonflowError(err, `ListExecutions ${stateMachineArn} (group ${target.group})`);
  }
  return undefined;
}

/** What the execution was started with (to find its deployment group); undefined when not ours. */
export function parseExecutionInput(text: string | undefined): Partial<ExecutionInput> | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as Partial<ExecutionInput>) : undefined;
  } catch {
    return undefined;
  }
}
