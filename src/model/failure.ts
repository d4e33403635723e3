// SPEC §13: how a failed deployment's `failure` is shown, whichever back end
// found it — kebab-case fields in the EDN/JSON maps, jsonl and history, and
// lines under the `error:` line on the terminal. Beside the type it shows, in
// model/: the engine's events, the renderers, the CLI and every back end speak
// it, and the engine imports no back end (STYLE.md #2).

import type { DeploymentFailure } from './deployment.js';

export const LOG_TAIL_LINES = 20;

/** The last `max` lines of a log, without trailing blank lines; undefined when empty. */
export function logTail(text: string | undefined, max = LOG_TAIL_LINES): string | undefined {
  const trimmed = (text ?? '').replace(/\s+$/, '');
  if (!trimmed) return undefined;
  return trimmed.split('\n').slice(-max).join('\n');
}

/** The failure as an output map: SPEC §13's kebab-case keys, absent facts left out. */
export function failureMap(f: DeploymentFailure): Record<string, string | number | boolean> {
  const map: Record<string, string | number | boolean> = {};
  if (f.state !== undefined) map.state = f.state;
  if (f.event !== undefined) map.event = f.event;
  if (f.target !== undefined) map.target = f.target;
  if (f.script !== undefined) map.script = f.script;
  if (f.exitCode !== undefined) map['exit-code'] = f.exitCode;
  if (f.timedOut) map['timed-out'] = true;
  map.message = f.message;
  if (f.logTail !== undefined) map['log-tail'] = f.logTail;
  return map;
}

/** One line naming where it failed: `ValidateService scripts/validate.sh on dev: exit code 1`. */
export function failureSummary(f: DeploymentFailure): string {
  const where = [f.state ? `state ${f.state}` : undefined, f.event, f.script, f.target ? `on ${f.target}` : undefined].filter(Boolean).join(' ');
  const how = f.timedOut ? 'timed out' : f.exitCode !== undefined ? `exit code ${f.exitCode}` : undefined;
  return [where, how].filter(Boolean).join(': ') || f.message;
}

/** What goes under a failed step or `error:` line: the summary, then the log tail. */
export function failureText(f: DeploymentFailure): string {
  return [failureSummary(f), ...(f.logTail ? [f.logTail] : [])].join('\n');
}

/** failureText indented under an `error:` line (deploy, deploy-status). */
export function failureLines(f: DeploymentFailure, indent = '  '): string[] {
  const [summary = '', ...tail] = failureText(f).split('\n');
  return [`${indent}${summary}`, ...tail.map((l) => `${indent}│ ${l}`)];
}
