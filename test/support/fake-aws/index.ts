// Start the whole fake AWS endpoint: every handler file, one shared state.
import { handlers as deployments } from './codedeploy-deployments.js';
import { handlers as revisions } from './codedeploy-revisions.js';
import { answerQueryOrRest } from './query-and-rest.js';
import { handlers as targets } from './codedeploy-targets.js';
import { type FakeAwsServer, startFakeAws } from './server.js';
import { handlers as sfn } from './sfn.js';
import { handlers as sfnHistory } from './sfn-history.js';
import { createFakeAwsState, type FakeAwsState } from './state.js';

export type FakeAws = FakeAwsServer<FakeAwsState>;

export function startFakeAwsEndpoint(state: FakeAwsState = createFakeAwsState()): Promise<FakeAws> {
  return startFakeAws(state, { ...revisions, ...deployments, ...targets, ...sfn, ...sfnHistory }, answerQueryOrRest);
}

/** Credentials the fake accepts, and no shared AWS files: nothing of the machine's own AWS setup is read. */
export const FAKE_AWS_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIDTEST',
  AWS_SECRET_ACCESS_KEY: 'secret',
  AWS_CONFIG_FILE: '/nonexistent',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
};

export * from './server.js';
export * from './state.js';
