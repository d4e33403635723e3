// A middleware every AWS client of clients.ts gets when a profile is named:
// credential failures say which profile, and the profile's secrets, once
// resolved, are masked in output.

import { addSecret } from '../../text/redact.js';

/** An initialize-step middleware, as namesProfile adds it to any client (it reads neither input nor output). */
type Middleware = (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>;

/**
 * Credential failures name the AWS profile they were looked up in: the SDK's
 * own message ("Could not load credentials from any providers") does not say,
 * and a mistyped --creds-profile looks like expired keys. A middleware, so
 * that lib-storage's uploads (which use the client itself) get it too; a new
 * error each time, since the SDK hands one shared error to concurrent calls.
 * Once a call went through, the profile's keys are known: their secret parts
 * join the values masked in hook and run output (SPEC §17).
 */
export function namesProfile(client: { middlewareStack: unknown; config?: unknown }, profile: string | undefined): void {
  if (!profile) return;
  // Each client types its stack by its own commands; this middleware fits them all.
  const stack = client.middlewareStack as { add(middleware: Middleware, options: object): void };
  const credentials = (client.config as { credentials?: () => Promise<{ secretAccessKey?: string; sessionToken?: string }> } | undefined)?.credentials;
  stack.add(
    (next) => async (args) => {
      try {
        const out = await next(args);
        // The provider is memoized: after a call, this reads what was resolved for it.
        const keys = await credentials?.().catch(() => undefined);
        addSecret(keys?.secretAccessKey);
        addSecret(keys?.sessionToken);
        return out;
      } catch (err) {
        if (!(err instanceof Error) || err.name !== 'CredentialsProviderError') throw err;
        const named = new Error(`AWS profile ${profile}: ${err.message}`, { cause: err });
        named.name = err.name;
        throw named;
      }
    },
    { step: 'initialize', priority: 'high', name: 'ionflowNamesProfile' },
  );
}
