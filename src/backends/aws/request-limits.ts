// What bounds every AWS call (SPEC §17): the run's abort signal (Ctrl-C,
// SIGTERM) and timeouts on the SDK's request handler, so that neither a
// slow answer nor a silent endpoint can keep ionflow waiting.

import { InterruptedError } from '../../model/errors.js';
import type { BackendOptions } from '../types.js';

/** A connection not made within this is an error (the AWS CLI allows 60 s; an endpoint answers in far less). */
const CONNECT_MS = 10_000;
/**
 * A socket with no byte moving either way for this long is an error. Idle
 * time, not total: a 5 MiB part on a slow link keeps its socket busy.
 */
const IDLE_MS = 30_000;

/**
 * The request handler settings of every client. IONFLOW_AWS_TIMEOUT_MS
 * overrides the idle timeout (and caps the connect one): for slow links, and
 * for tests of a silent endpoint that should not take half a minute.
 */
export function requestHandlerSettings(options: BackendOptions): { connectionTimeout: number; socketTimeout: number } {
  const env = options.env ?? process.env;
  const override = Number(env.IONFLOW_AWS_TIMEOUT_MS);
  const idle = Number.isFinite(override) && override > 0 ? override : IDLE_MS;
  return { connectionTimeout: Math.min(CONNECT_MS, idle), socketTimeout: idle };
}

type SendOptions = { abortSignal?: AbortSignal } & Record<string, unknown>;
type Sending = { send(command: unknown, options?: SendOptions): Promise<unknown> };

/**
 * Every `send` of the client, whoever makes it (our calls, lib-storage's
 * parts), gets the run's signal besides its own, and gives up the moment it
 * aborts: the SDK may be between retries, sleeping its backoff, where a
 * signal is only looked at when the next attempt starts.
 */
export function honourSignal(client: object, signal: AbortSignal | undefined): void {
  if (!signal) return;
  const target = client as Sending;
  const send = target.send.bind(target);
  target.send = (command, options) => {
    if (signal.aborted) return Promise.reject(new InterruptedError());
    const own = options?.abortSignal;
    const abortSignal = own ? AbortSignal.any([own, signal]) : signal;
    const sent = send(command, { ...options, abortSignal });
    let onAbort: () => void = () => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(new InterruptedError());
      signal.addEventListener('abort', onAbort, { once: true });
    });
    // Whichever loses the race must not be an unhandled rejection.
    sent.catch(() => {});
    aborted.catch(() => {});
    return Promise.race([sent, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
  };
}
