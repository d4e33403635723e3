// Start the whole fake AWS endpoint: every handler file, one shared state.
import { handlers as deployments } from './codedeploy-deployments.js';
import { handlers as revisions } from './codedeploy-revisions.js';
import { type FakeAwsServer, startFakeAws } from './server.js';
import { handlers as sfn } from './sfn.js';
import { createFakeAwsState, type FakeAwsState } from './state.js';

export type FakeAws = FakeAwsServer<FakeAwsState>;

export function startFakeAwsEndpoint(state: FakeAwsState = createFakeAwsState()): Promise<FakeAws> {
  return startFakeAws(state, { ...revisions, ...deployments, ...sfn });
}

export * from './server.js';
export * from './state.js';
