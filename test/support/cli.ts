// Spawn the built binary (bin/ionflow.js → dist/) the way a user would.
// `npm test` builds first; run `npm run build` before running a CLI test alone.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/ionflow.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  timeoutMs?: number;
  /** Called once the process has started (e.g. to send it a signal later). */
  onSpawn?: (child: import('node:child_process').ChildProcess) => void;
  /** Leave stdout and stderr unread this long, as a slow pipe reader does, so the pipe fills up. */
  readDelayMs?: number;
}

export function runCli(args: string[], options: CliOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: { ...(options.env ?? process.env), NO_COLOR: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    if (options.readDelayMs) {
      child.stdout.pause();
      child.stderr.pause();
      setTimeout(() => {
        child.stdout.resume();
        child.stderr.resume();
      }, options.readDelayMs);
    }
    child.stdin.end(options.input ?? '');
    options.onSpawn?.(child);
  });
}
