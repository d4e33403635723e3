// What every command gets: the global flags, where to write, the environment,
// and the signal that SIGINT/SIGTERM abort. Commands never touch process.* directly.

import type { Writable } from 'node:stream';
import type { BackendOptions } from '../backends/types.js';
import { printMap, type OutputMap } from './output.js';

export interface GlobalOptions {
  config?: string;
  json?: boolean;
  credsProfile?: string;
  region?: string;
  debug?: boolean;
}

export interface CliContext {
  global: GlobalOptions;
  stdout: Writable;
  stderr: Writable;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  cwd: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  /** Print the one result map of an op (SPEC §8): EDN, or JSON with --json. */
  print(map: OutputMap): void;
  /** A progress/log line on stderr. */
  log(line: string): void;
}

export function makeContext(parts: Omit<CliContext, 'print' | 'log' | 'stdin'> & { stdin: () => CliContext['stdin'] }): CliContext {
  const { stdin, ...rest } = parts;
  let opened: CliContext['stdin'] | undefined;
  return {
    ...rest,
    // process.stdin opens a stream (a few ms): only a command that reads it, or asks isTTY, pays.
    get stdin() {
      opened ??= stdin();
      return opened;
    },
    print: (map) => parts.stdout.write(`${printMap(map, parts.global.json ? 'json' : 'edn')}\n`),
    log: (line) => parts.stderr.write(`${line}\n`),
  };
}

/** What the aws back end takes from the global flags (SPEC §10). */
export const backendOptions = (ctx: CliContext): BackendOptions => ({
  credsProfile: ctx.global.credsProfile,
  region: ctx.global.region,
  env: ctx.env,
  signal: ctx.signal,
});
