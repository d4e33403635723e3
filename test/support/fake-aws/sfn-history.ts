// Step Functions on the fake endpoint, beyond running executions:
// DescribeStateMachine (preflight) and GetExecutionHistory, in the shapes of
// the Step Functions API reference (HistoryEvent: id, previousEventId,
// timestamp in epoch seconds, type, one `…EventDetails`). An execution's
// history is made from what it went through: started, entered its task state,
// then succeeded or failed there with its error and cause.
import { AwsFault, type Handler } from './server.js';
import type { FakeAwsState, FakeExecution } from './state.js';

const seconds = (ms: number) => ms / 1000;

function history(e: FakeExecution): Record<string, unknown>[] {
  const state = e.failedState ?? 'Deploy';
  const resource = { resourceType: 'codedeploy', resource: 'createDeployment' };
  const events: Record<string, unknown>[] = [
    { type: 'ExecutionStarted', executionStartedEventDetails: { input: e.input, roleArn: 'arn:aws:iam::123456789012:role/fake' } },
    { type: 'TaskStateEntered', stateEnteredEventDetails: { name: state, input: e.input } },
    { type: 'TaskScheduled', taskScheduledEventDetails: { ...resource, region: 'us-east-1', parameters: '{}' } },
    { type: 'TaskStarted', taskStartedEventDetails: resource },
  ];
  if (e.status === 'SUCCEEDED') {
    events.push(
      { type: 'TaskSucceeded', taskSucceededEventDetails: { ...resource, output: '{}' } },
      { type: 'TaskStateExited', stateExitedEventDetails: { name: state, output: '{}' } },
      { type: 'ExecutionSucceeded', executionSucceededEventDetails: { output: '{}' } },
    );
  } else if (e.status === 'FAILED') {
    const why = { ...(e.error ? { error: e.error } : {}), ...(e.cause ? { cause: e.cause } : {}) };
    events.push({ type: 'TaskFailed', taskFailedEventDetails: { ...resource, ...why } }, { type: 'ExecutionFailed', executionFailedEventDetails: why });
  }
  const t0 = seconds(e.startDate);
  return events.map((event, i) => ({ id: i + 1, ...(i > 0 ? { previousEventId: i } : {}), timestamp: t0 + i / 10, ...event }));
}

export const handlers: Record<string, Handler<FakeAwsState>> = {
  'sfn.DescribeStateMachine': (input, state) => {
    const arn = String(input.stateMachineArn ?? '');
    const sm = state.stateMachines.get(arn);
    if (!sm) throw new AwsFault('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return {
      stateMachineArn: sm.arn,
      name: sm.name,
      status: 'ACTIVE',
      definition: '{"StartAt":"Deploy","States":{"Deploy":{"Type":"Task","Resource":"arn:aws:states:::codedeploy:createDeployment","End":true}}}',
      roleArn: `arn:aws:iam::${state.account}:role/fake`,
      type: 'STANDARD',
      creationDate: seconds(Date.now()),
    };
  },

  /** Pages of maxResults (default 100) with a nextToken; reverseOrder as documented. */
  'sfn.GetExecutionHistory': (input, state) => {
    const e = state.executions.get(String(input.executionArn ?? ''));
    if (!e) throw new AwsFault('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(input.executionArn)}'`);
    const events = history(e);
    if (input.reverseOrder === true) events.reverse();
    const size = typeof input.maxResults === 'number' && input.maxResults > 0 ? input.maxResults : 100;
    const start = typeof input.nextToken === 'string' ? Number(input.nextToken) : 0;
    const next = start + size;
    return { events: events.slice(start, next), ...(next < events.length ? { nextToken: String(next) } : {}) };
  },
};
