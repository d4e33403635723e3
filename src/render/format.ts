// Shared wording for the human renderers: step words and symbols, the output
// under a failed step, colour that honours NO_COLOR (and only colours a
// terminal). Durations are text/durations.ts's.

import { failureText } from '../model/failure.js';
import type { StepEndEvent } from '../engine/events.js';

export interface Paint {
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

export function paint(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): Paint {
  const on = Boolean(stream.isTTY) && !('NO_COLOR' in env) && env.TERM !== 'dumb';
  const wrap = (open: number, close: number) => (s: string) => (on ? `\u001b[${open}m${s}\u001b[${close}m` : s);
  return { green: wrap(32, 39), red: wrap(31, 39), yellow: wrap(33, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
}

export function stepWord(end: StepEndEvent): string {
  if (end.status === 'not-run') return 'not run';
  return end.status;
}

export function stepSymbol(end: StepEndEvent, p: Paint): string {
  if (end.status === 'not-run') return p.dim('-');
  if (end.status === 'succeeded') return p.green('✔');
  if (end.status === 'skipped') return p.yellow('↓');
  return p.red('✖');
}

/** An ion-dev push's dependency conflicts (SPEC §16) as one warning line, without the `warning:`. */
export function conflictsWarning(conflicts: Record<string, string>): string {
  const libs = Object.entries(conflicts).map(([lib, version]) => `${lib} ${version}`);
  return `ion-dev reported dependency conflicts; Datomic Cloud uses ${libs.join(', ')}`;
}

/** The last lines of a failed step's output, indented under it. */
export function outputTail(end: StepEndEvent, indent = '    '): string[] {
  const failure = end.error?.failure;
  const out = end.error?.output ?? (failure ? failureText(failure) : undefined);
  if (!out) return [];
  // A failure's text is its summary line and a log tail already cut to 20 lines.
  const lines = out.trimEnd().split('\n');
  return (end.error?.output ? lines.slice(-20) : lines).map((l) => `${indent}│ ${l}`);
}
