// CodeDeploy deployments on the fake endpoint: CreateDeployment, and
// GetDeployment / ListDeployments for status and history. Each GetDeployment
// moves a deployment one step along its `script` (the statuses it goes
// through), so a test decides exactly what a poller sees. Timestamps are
// epoch seconds, as the real service sends them.
import { AwsFault, type Handler } from './server.js';
import { type FakeAwsState, type FakeDeployment, type FakeS3Location, page } from './state.js';

const seconds = (ms: number) => ms / 1000;
let counter = 0;

function deploymentGroupOf(state: FakeAwsState, applicationName: unknown, groupName: unknown) {
  const app = state.applications.get(String(applicationName ?? ''));
  if (!app) throw new AwsFault('ApplicationDoesNotExistException', `No application found for name: ${String(applicationName)}`);
  const group = app.deploymentGroups.get(String(groupName ?? ''));
  if (!group) {
    throw new AwsFault('DeploymentGroupDoesNotExistException', `No Deployment Group found for name: ${String(groupName)}`);
  }
  return { app, group };
}

/** Create a deployment in the state (also used by the fake state machine's executions). */
export function startFakeDeployment(
  state: FakeAwsState,
  applicationName: string,
  deploymentGroup: string,
  location: FakeS3Location,
  extra: Partial<FakeDeployment> = {},
): FakeDeployment {
  deploymentGroupOf(state, applicationName, deploymentGroup);
  counter += 1;
  const deployment: FakeDeployment = {
    id: `d-${String(counter).padStart(3, '0')}${Math.random().toString(36).slice(2, 8).toUpperCase()}`,
    application: applicationName,
    deploymentGroup,
    location,
    status: 'Created',
    script: [...state.defaultDeploymentScript],
    createTime: Date.now(),
    targets: structuredClone(state.defaultTargets ?? []),
    ...extra,
  };
  state.deployments.set(deployment.id, deployment);
  return deployment;
}

function info(d: FakeDeployment) {
  return {
    deploymentId: d.id,
    applicationName: d.application,
    deploymentGroupName: d.deploymentGroup,
    status: d.status,
    createTime: seconds(d.createTime),
    ...(d.completeTime ? { completeTime: seconds(d.completeTime) } : {}),
    revision: { revisionType: 'S3', s3Location: d.location },
    ...(d.errorInformation ? { errorInformation: d.errorInformation } : {}),
    ...(d.autoRollbackConfiguration ? { autoRollbackConfiguration: d.autoRollbackConfiguration } : {}),
  };
}

const FINAL = new Set(['Succeeded', 'Failed', 'Stopped']);

export const handlers: Record<string, Handler<FakeAwsState>> = {
  'codedeploy.CreateDeployment': (input, state) => {
    const { group } = deploymentGroupOf(state, input.applicationName, input.deploymentGroupName);
    const active = [...state.deployments.values()].find(
      (d) => d.application === input.applicationName && d.deploymentGroup === group.name && !FINAL.has(d.status),
    );
    if (active && state.oneDeploymentAtATime) {
      throw new AwsFault('DeploymentLimitExceededException', `The deployment group already has an active deployment ${active.id}`);
    }
    const revision = (input.revision ?? {}) as { s3Location?: FakeS3Location };
    if (!revision.s3Location?.bucket) throw new AwsFault('RevisionRequiredException', 'revision required');
    const d = startFakeDeployment(state, String(input.applicationName), group.name, revision.s3Location, {
      ...(input.autoRollbackConfiguration ? { autoRollbackConfiguration: input.autoRollbackConfiguration } : {}),
    });
    return { deploymentId: d.id };
  },

  'codedeploy.GetDeployment': (input, state) => {
    const d = state.deployments.get(String(input.deploymentId ?? ''));
    if (!d) throw new AwsFault('DeploymentDoesNotExistException', `The deployment ${String(input.deploymentId)} could not be found`);
    const next = d.script.shift();
    if (next) {
      d.status = next;
      if (FINAL.has(next)) d.completeTime = Date.now();
      if (next === 'Failed' && !d.errorInformation) {
        d.errorInformation = { code: 'SCRIPT_FAILED', message: 'Script at specified location: scripts/validate.sh failed with exit code 1' };
      }
    }
    return { deploymentInfo: info(d) };
  },

  /** Newest first; createTimeRange.start/end in epoch seconds; paged as state.ts's page() says. */
  'codedeploy.ListDeployments': (input, state) => {
    deploymentGroupOf(state, input.applicationName, input.deploymentGroupName);
    const range = (input.createTimeRange ?? {}) as { start?: number; end?: number };
    const ids = [...state.deployments.values()]
      .filter((d) => d.application === input.applicationName && d.deploymentGroup === input.deploymentGroupName)
      .filter((d) => range.start === undefined || seconds(d.createTime) >= range.start)
      .filter((d) => range.end === undefined || seconds(d.createTime) <= range.end)
      .sort((a, b) => b.createTime - a.createTime)
      .map((d) => d.id);
    const { items, nextToken } = page(state, ids, input);
    return { deployments: items, ...(nextToken ? { nextToken } : {}) };
  },
};
