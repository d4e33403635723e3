// Where a deployment ran, on the fake endpoint: ListDeploymentTargets /
// BatchGetDeploymentTargets and the older ListDeploymentInstances /
// BatchGetDeploymentInstances, in the shapes the CodeDeploy API reference
// documents (instance targets; timestamps in epoch seconds; lists paged by
// nextToken, two ids a page so that callers must follow it).
import { AwsFault, type Handler } from './server.js';
import type { FakeAwsState, FakeDeployment, FakeTarget } from './state.js';

const PAGE = 2;
const seconds = (ms: number) => ms / 1000;

function deployment(state: FakeAwsState, input: Record<string, unknown>): FakeDeployment {
  const d = state.deployments.get(String(input.deploymentId ?? ''));
  if (!d) throw new AwsFault('DeploymentDoesNotExistException', `The deployment ${String(input.deploymentId)} could not be found`);
  return d;
}

function page(ids: string[], token: unknown): { ids: string[]; nextToken?: string } {
  const start = typeof token === 'string' ? Number(token) : 0;
  const next = start + PAGE;
  return { ids: ids.slice(start, next), ...(next < ids.length ? { nextToken: String(next) } : {}) };
}

function lifecycleEvents(d: FakeDeployment, t: FakeTarget) {
  const at = seconds(d.createTime);
  return t.lifecycleEvents.map((e) => ({ ...e, startTime: at, endTime: at + 1 }));
}

function byIds(d: FakeDeployment, ids: unknown, max: number): FakeTarget[] {
  const wanted = Array.isArray(ids) ? ids.map(String) : [];
  if (wanted.length > max) throw new AwsFault('InstanceIdRequiredException', `at most ${max} ids a call`);
  return d.targets.filter((t) => wanted.includes(t.id));
}

export const handlers: Record<string, Handler<FakeAwsState>> = {
  'codedeploy.ListDeploymentTargets': (input, state) => {
    const d = deployment(state, input);
    const statuses = ((input.targetFilters as Record<string, string[]> | undefined)?.TargetStatus ?? []).map(String);
    const ids = d.targets.filter((t) => statuses.length === 0 || statuses.includes(t.status)).map((t) => t.id);
    const { ids: targetIds, nextToken } = page(ids, input.nextToken);
    return { targetIds, ...(nextToken ? { nextToken } : {}) };
  },

  'codedeploy.BatchGetDeploymentTargets': (input, state) => {
    const d = deployment(state, input);
    return {
      deploymentTargets: byIds(d, input.targetIds, 25).map((t) => ({
        deploymentTargetType: 'InstanceTarget',
        instanceTarget: {
          deploymentId: d.id,
          targetId: t.id,
          targetArn: `arn:aws:ec2:${state.region}:${state.account}:instance/${t.id}`,
          status: t.status,
          lastUpdatedAt: seconds(d.completeTime ?? d.createTime),
          lifecycleEvents: lifecycleEvents(d, t),
        },
      })),
    };
  },

  'codedeploy.ListDeploymentInstances': (input, state) => {
    const d = deployment(state, input);
    const statuses = Array.isArray(input.instanceStatusFilter) ? input.instanceStatusFilter.map(String) : [];
    const ids = d.targets.filter((t) => statuses.length === 0 || statuses.includes(t.status)).map((t) => t.id);
    const { ids: instancesList, nextToken } = page(ids, input.nextToken);
    return { instancesList, ...(nextToken ? { nextToken } : {}) };
  },

  'codedeploy.BatchGetDeploymentInstances': (input, state) => {
    const d = deployment(state, input);
    return {
      instancesSummary: byIds(d, input.instanceIds, 25).map((t) => ({
        deploymentId: d.id,
        instanceId: t.id,
        status: t.status,
        lastUpdatedAt: seconds(d.completeTime ?? d.createTime),
        lifecycleEvents: lifecycleEvents(d, t),
        instanceType: 'Blue',
      })),
    };
  },
};

/** A target whose `event` script failed: the events before it succeeded, the ones after were skipped. */
export function failedTarget(id: string, event: string, diagnostics: { errorCode?: string; scriptName: string; message: string; logTail: string }): FakeTarget {
  const order = ['ApplicationStop', 'DownloadBundle', 'BeforeInstall', 'Install', 'AfterInstall', 'ApplicationStart', 'ValidateService'];
  const at = order.indexOf(event);
  return {
    id,
    status: 'Failed',
    lifecycleEvents: order.map((name, i) => ({
      lifecycleEventName: name,
      status: i < at ? 'Succeeded' : i === at ? 'Failed' : 'Skipped',
      ...(i < at ? { diagnostics: { errorCode: 'Success', scriptName: '', message: 'Succeeded', logTail: '' } } : {}),
      ...(i === at ? { diagnostics: { errorCode: 'ScriptFailed', ...diagnostics } } : {}),
    })),
  };
}
