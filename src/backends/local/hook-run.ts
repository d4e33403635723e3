// A hook script's run as a deployment records it, and the sentence that says
// why it failed. Apart from the hook runner (./hooks.ts) so that reading a
// record of a failed deployment loads no process-running code.

import type { Holder } from '../../process/group.js';
import { tail } from '../../process.js';
import type { LifecycleEvent } from './appspec.js';

export interface HookRun {
  event: LifecycleEvent;
  /** The script's `location` in appspec.yml. */
  location: string;
  /** The release the script came from (ApplicationStop runs the previous one's). */
  release: string;
  /** null when it did not exit by itself (timed out, killed) or could not start. */
  exitCode: number | null;
  timedOut: boolean;
  /** The configured timeout, in seconds: what a timeout is reported as (absent from older records). */
  timeoutS?: number;
  /** Processes it started that still held its output after it exited (pid and command). */
  heldBy?: Holder[];
  durationMs: number;
  outputTail: string;
}

export const BACKGROUND_FIX = 'start background processes with their output redirected (`cmd >/dev/null 2>&1 &`), with nohup, or from a service manager';

export function holdersText(holders: Holder[] | undefined): string {
  if (!holders || holders.length === 0) return 'a process it started';
  return holders.map((h) => `pid ${h.pid} (${h.command})`).join(', ');
}

export function describeFailure(run: HookRun): string {
  const what = `${run.event} hook ${run.location}`;
  if (run.timedOut) {
    const timeout = `${what} timed out after ${run.timeoutS ?? Math.round(run.durationMs / 1000)}s`;
    return run.heldBy ? `${timeout}: the script exited, but ${holdersText(run.heldBy)} still held its output; ${BACKGROUND_FIX}` : timeout;
  }
  if (run.exitCode === null) return `${what} failed: ${tail(run.outputTail, 1)}`;
  const last = tail(run.outputTail, 1);
  return `${what} exited with ${run.exitCode}${last ? `: ${last}` : ''}`;
}
