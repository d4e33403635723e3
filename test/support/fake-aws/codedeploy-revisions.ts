// Handlers for the fake AWS endpoint: filled in by the work that needs them.
import type { Handler } from './server.js';
import type { FakeAwsState } from './state.js';

export const handlers: Record<string, Handler<FakeAwsState>> = {};
