import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAwsClients } from '../../../src/backends/aws/clients.js';
import { resolveStateMachine } from '../../../src/backends/aws/step-functions.js';
import { sharedLookups } from '../../../src/actions/preflight/aws-checks.js';
import { FAKE_AWS_CREDENTIALS, addStateMachine, createFakeAwsState, type FakeAws, startFakeAwsEndpoint } from '../../support/fake-aws/index.js';

let fake: FakeAws;

beforeAll(async () => {
  Object.assign(process.env, FAKE_AWS_CREDENTIALS);
  fake = await startFakeAwsEndpoint(createFakeAwsState());
});
afterAll(() => fake.close());

it('preflight asks for each page of ListStateMachines once, however many groups look a state machine up', async () => {
  fake.state.listPageSize = 1;
  for (const name of ['datomic-a', 'datomic-b', 'datomic-c']) addStateMachine(fake.state, name);
  const clients = sharedLookups(createAwsClients({ key: 'test', region: 'us-east-1', endpoints: { sfn: fake.url } }, { env: {} }));
  const sfn = await clients.sfn();
  const arns = await Promise.all(['datomic-b', 'datomic-a', 'datomic-c', 'datomic-b'].map((name) => resolveStateMachine(sfn, name, 'g')));
  expect(arns.map((arn) => arn.split(':').pop())).toEqual(['datomic-b', 'datomic-a', 'datomic-c', 'datomic-b']);
  // Three pages, each asked for once; a name on the first page needs no more.
  expect(fake.callsOf('ListStateMachines').map((c) => c.input.nextToken)).toEqual([undefined, '1', '2']);
  fake.calls.length = 0;
  expect(await resolveStateMachine(await clients.sfn(), 'datomic-a', 'g')).toMatch(/datomic-a$/);
  expect(fake.callsOf('ListStateMachines')).toHaveLength(0);
  await expect(resolveStateMachine(await clients.sfn(), 'datomic-nope', 'g')).rejects.toThrow(/no Step Functions state machine named datomic-nope/);
  expect(fake.callsOf('ListStateMachines')).toHaveLength(0);
});
