// An S3 client whose calls are watched, for @aws-sdk/lib-storage. Its Upload
// sends parts side by side and reports a failed one (after the SDK's
// retries) only once the others have stopped, which may be after they read
// the body to its end. Watching its calls tells the store, before it acts on
// a complete body, whether every call so far has succeeded.

import type { S3Client } from '@aws-sdk/client-s3';

export interface WatchedClient {
  /** The client to hand to lib-storage: the same client, every `send` watched. */
  readonly client: S3Client;
  /** The first call that failed, if any. */
  failure(): unknown;
  /** Resolves once every call sent so far has settled. */
  settled(): Promise<void>;
}

export function watchCalls(target: S3Client): WatchedClient {
  let failure: unknown;
  const inFlight = new Set<Promise<unknown>>();
  type Send = typeof target.send;
  const send = (command: Parameters<Send>[0], options?: Parameters<Send>[1]) => {
    const sent = target.send(command, options).catch((err: unknown) => {
      failure ??= err;
      throw err;
    });
    inFlight.add(sent);
    const done = () => inFlight.delete(sent);
    sent.then(done, done);
    return sent;
  };
  const client = new Proxy(target, {
    get: (t, prop, receiver) => (prop === 'send' ? send : Reflect.get(t, prop, receiver)),
  });
  return {
    client,
    failure: () => failure,
    settled: async () => {
      await Promise.allSettled([...inFlight]);
    },
  };
}
