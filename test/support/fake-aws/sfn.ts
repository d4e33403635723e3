// Step Functions on the fake endpoint: ListStateMachines, StartExecution,
// DescribeExecution and ListExecutions (newest first; lists paged as state.ts's page() says). An execution started with ionflow's input also starts a
// CodeDeploy deployment of that revision (what Datomic's state machine does),
// unless the state says otherwise. Each DescribeExecution moves the execution
// one step along its `script`.
import { startFakeDeployment } from './codedeploy-deployments.js';
import { AwsFault, type Handler } from './server.js';
import { type FakeAwsState, type FakeExecution, page } from './state.js';

const seconds = (ms: number) => ms / 1000;
let counter = 0;

const FINAL = new Set(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']);

/** What ListExecutions says of an execution (DescribeExecution adds input, error, cause). */
const listItem = (e: FakeExecution) => ({
  executionArn: e.executionArn,
  stateMachineArn: e.stateMachineArn,
  name: e.name,
  status: e.status,
  startDate: seconds(e.startDate),
  ...(e.stopDate ? { stopDate: seconds(e.stopDate) } : {}),
});

export const handlers: Record<string, Handler<FakeAwsState>> = {
  'sfn.ListStateMachines': (input, state) => {
    const { items, nextToken } = page(state, [...state.stateMachines.values()], input);
    return {
      stateMachines: items.map((sm) => ({ stateMachineArn: sm.arn, name: sm.name, type: 'STANDARD', creationDate: seconds(Date.now()) })),
      ...(nextToken ? { nextToken } : {}),
    };
  },

  'sfn.StartExecution': (input, state) => {
    const arn = String(input.stateMachineArn ?? '');
    const sm = state.stateMachines.get(arn);
    if (!sm) throw new AwsFault('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    counter += 1;
    const name = typeof input.name === 'string' ? input.name : `exec-${counter}-${Math.random().toString(36).slice(2, 10)}`;
    const execution: FakeExecution = {
      executionArn: `${arn.replace(':stateMachine:', ':execution:')}:${name}`,
      stateMachineArn: arn,
      name,
      input: String(input.input ?? '{}'),
      status: 'RUNNING',
      script: [...state.defaultExecutionScript],
      startDate: Date.now(),
    };
    state.executions.set(execution.executionArn, execution);
    const parsed = JSON.parse(execution.input) as Record<string, string>;
    if (state.executionsDeploy !== false && parsed.app && parsed.deploymentGroup && parsed.bucket) {
      startFakeDeployment(state, parsed.app, parsed.deploymentGroup, {
        bucket: parsed.bucket,
        key: String(parsed.key),
        bundleType: 'zip',
        ...(parsed.eTag ? { eTag: parsed.eTag } : {}),
      });
    }
    return { executionArn: execution.executionArn, startDate: seconds(execution.startDate) };
  },

  'sfn.ListExecutions': (input, state) => {
    const arn = String(input.stateMachineArn ?? '');
    if (!state.stateMachines.has(arn)) throw new AwsFault('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    const filter = typeof input.statusFilter === 'string' ? input.statusFilter : undefined;
    const executions = [...state.executions.values()]
      .filter((e) => e.stateMachineArn === arn && (!filter || e.status === filter))
      .sort((a, b) => b.startDate - a.startDate);
    const { items, nextToken } = page(state, executions, input);
    return { executions: items.map(listItem), ...(nextToken ? { nextToken } : {}) };
  },

  'sfn.DescribeExecution': (input, state) => {
    const e = state.executions.get(String(input.executionArn ?? ''));
    if (!e) throw new AwsFault('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(input.executionArn)}'`);
    const next = e.script.shift();
    if (next) {
      e.status = next;
      if (FINAL.has(next)) e.stopDate = Date.now();
      const failure = state.defaultExecutionFailure;
      if (next === 'FAILED' && failure && !e.error) {
        Object.assign(e, { error: failure.error, cause: failure.cause, ...(failure.state ? { failedState: failure.state } : {}) });
      }
    }
    return {
      ...listItem(e),
      input: e.input,
      ...(e.status === 'FAILED' && e.error ? { error: e.error } : {}),
      ...(e.status === 'FAILED' && e.cause ? { cause: e.cause } : {}),
    };
  },
};
