// The fake AWS world: CodeDeploy applications, deployment groups, revisions
// and deployments, Step Functions state machines and executions. Tests seed it
// directly and read it back; handlers (one file per area) mutate it.

export interface FakeS3Location {
  bucket: string;
  key: string;
  bundleType: string;
  eTag?: string;
  version?: string;
}

export interface FakeDeploymentGroup {
  name: string;
  /** Set by tests: e.g. an auto-rollback configuration seen on CreateDeployment. */
  [extra: string]: unknown;
}

export interface FakeApplication {
  name: string;
  deploymentGroups: Map<string, FakeDeploymentGroup>;
  revisions: { location: FakeS3Location; registeredAt: number; description?: string }[];
}

export interface FakeDeployment {
  id: string;
  application: string;
  deploymentGroup: string;
  location: FakeS3Location;
  /** CodeDeploy status: Created | Queued | InProgress | Baking | Ready | Succeeded | Failed | Stopped. */
  status: string;
  /** Statuses still to come: each GetDeployment moves to the next one. */
  script: string[];
  createTime: number;
  completeTime?: number;
  errorInformation?: { code: string; message: string };
  autoRollbackConfiguration?: unknown;
  /** The instances it deploys to, with their lifecycle events (ListDeploymentTargets …). */
  targets: FakeTarget[];
}

/** A lifecycle event of a target, in CodeDeploy's shape (diagnostics only where it ran). */
export interface FakeLifecycleEvent {
  lifecycleEventName: string;
  status: string;
  diagnostics?: { errorCode: string; scriptName: string; message: string; logTail: string };
}

export interface FakeTarget {
  id: string;
  /** Pending | InProgress | Succeeded | Failed | Skipped | Unknown | Ready */
  status: string;
  lifecycleEvents: FakeLifecycleEvent[];
}

export interface FakeExecution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  input: string;
  /** RUNNING | SUCCEEDED | FAILED | TIMED_OUT | ABORTED */
  status: string;
  script: string[];
  startDate: number;
  stopDate?: number;
  error?: string;
  cause?: string;
  /** The state that fails when the execution FAILS (GetExecutionHistory); default "Deploy". */
  failedState?: string;
}

export interface FakeAwsState {
  region: string;
  account: string;
  applications: Map<string, FakeApplication>;
  deployments: Map<string, FakeDeployment>;
  stateMachines: Map<string, { arn: string; name: string }>;
  executions: Map<string, FakeExecution>;
  /** What a new deployment/execution goes through, in order, unless a test sets its own. */
  defaultDeploymentScript: string[];
  defaultExecutionScript: string[];
  /** CreateDeployment refuses while the group has an unfinished deployment (as CodeDeploy does). */
  oneDeploymentAtATime?: boolean;
  /** false: StartExecution does not start a CodeDeploy deployment (default: it does, like Datomic's). */
  executionsDeploy?: boolean;
  /** The targets each new deployment gets (copied), e.g. one whose ValidateService fails. */
  defaultTargets?: FakeTarget[];
  /** What every new execution fails with, once its script reaches FAILED. */
  defaultExecutionFailure?: { error: string; cause: string; state?: string };
  /** STS GetCallerIdentity answers as this identity (default a user of `account`). */
  callerArn?: string;
  /** S3 buckets (HeadBucket) and the region each is in. */
  buckets?: Map<string, string>;
  /**
   * ListDeployments, ListDeploymentGroups, ListStateMachines and
   * ListExecutions answer at most this many items a page, with a nextToken
   * (default: as many as maxResults allows, where the call takes it), so
   * that a test can make callers follow the pages.
   */
  listPageSize?: number;
}

export function createFakeAwsState(): FakeAwsState {
  return {
    region: 'us-east-1',
    account: '123456789012',
    applications: new Map(),
    deployments: new Map(),
    stateMachines: new Map(),
    executions: new Map(),
    defaultDeploymentScript: ['InProgress', 'Succeeded'],
    defaultExecutionScript: ['RUNNING', 'SUCCEEDED'],
  };
}

/** One page of a list call, as the APIs document it: the items, and a nextToken unless it is the last page. */
export function page<T>(state: FakeAwsState, items: T[], input: Record<string, unknown>): { items: T[]; nextToken?: string } {
  const sizes = [input.maxResults, state.listPageSize].filter((n): n is number => typeof n === 'number' && n > 0);
  const start = typeof input.nextToken === 'string' ? Number(input.nextToken) : 0;
  const next = sizes.length ? start + Math.min(...sizes) : items.length;
  return { items: items.slice(start, next), ...(next < items.length ? { nextToken: String(next) } : {}) };
}

/** Seed an application with deployment groups. */
export function addApplication(state: FakeAwsState, name: string, groups: string[] = []): FakeApplication {
  const app: FakeApplication = state.applications.get(name) ?? { name, deploymentGroups: new Map(), revisions: [] };
  for (const g of groups) app.deploymentGroups.set(g, { name: g });
  state.applications.set(name, app);
  return app;
}

export function addStateMachine(state: FakeAwsState, name: string): string {
  const arn = `arn:aws:states:${state.region}:${state.account}:stateMachine:${name}`;
  state.stateMachines.set(arn, { arn, name });
  return arn;
}
