// The closing summary of a run (each step's result, the revision, where it
// went), built from events only, so every human renderer prints the same one.

import type { EngineEvent, RunEndEvent, RunStartEvent, StepEndEvent, StepStartEvent } from '../engine/events.js';
import { conflictsWarning, outputTail, type Paint, stepSymbol, stepWord } from './format.js';
import { elapsedText } from '../text/durations.js';

export class RunRecord {
  start?: RunStartEvent;
  end?: RunEndEvent;
  readonly starts = new Map<string, StepStartEvent>();
  readonly ends = new Map<string, StepEndEvent>();

  add(event: EngineEvent): void {
    if (event.type === 'run-start') this.start = event;
    else if (event.type === 'run-end') this.end = event;
    else if (event.type === 'step-start') this.starts.set(event.step, event);
    else if (event.type === 'step-end') this.ends.set(event.step, event);
  }
}

function revisionLine(record: RunRecord): string {
  const pushed = [...record.ends.values()].find((e) => e.facts?.rev || e.facts?.uname);
  const rev = pushed?.facts?.rev ?? record.start?.rev;
  const uname = pushed?.facts?.uname ?? record.start?.uname;
  if (uname !== undefined) return `revision: ${uname} (uname)`;
  return `revision: ${rev || '(none)'}`;
}

function whereLines(record: RunRecord): string[] {
  const lines: string[] = [];
  for (const e of record.ends.values()) {
    const f = e.facts;
    // A wait reports its group too; the deploy step says where the revision went.
    if (!f?.group || record.starts.get(e.step)?.kind !== 'deploy' || e.status === 'failed' || e.status === 'not-run') continue;
    const how = e.status === 'skipped' ? 'already there' : 'deployed';
    const id = f['execution-arn'] ?? f['deployment-id'];
    lines.push(`  ${f.group}: ${how}${id ? ` (${id})` : ''}`);
  }
  return lines;
}

/** `steps: false` when the live renderer's last frame already lists each step. */
export function summaryLines(record: RunRecord, p: Paint, options: { steps: boolean } = { steps: true }): string[] {
  const start = record.start;
  const end = record.end;
  if (!start) return [];
  const status = end?.status ?? 'unfinished';
  const colour = status === 'succeeded' ? p.green : status === 'failed' ? p.red : p.yellow;
  const lines = [
    '',
    `${p.bold(`Pipeline ${start.pipeline}`)} ${colour(status)}${end ? ` in ${elapsedText(end.duration_ms)}` : ''} ${p.dim(`(run ${start.run})`)}`,
  ];
  const width = Math.max(0, ...[...record.ends.keys()].map((k) => k.length));
  for (const e of options.steps ? record.ends.values() : []) {
    const time = e.status === 'not-run' ? '' : ` ${p.dim(elapsedText(e.duration_ms))}`;
    lines.push(`  ${stepSymbol(e, p)} ${e.step.padEnd(width)}  ${stepWord(e).padEnd(9)} ${e.detail}${time}`);
    if (e.status === 'failed') lines.push(...outputTail(e, '      '));
  }
  for (const e of record.ends.values()) {
    const conflicts = e.facts?.['dependency-conflicts'];
    if (conflicts) lines.push(p.yellow(`warning: ${e.step}: ${conflictsWarning(conflicts)}`));
  }
  lines.push(revisionLine(record));
  const where = whereLines(record);
  if (where.length > 0) lines.push('where it went:', ...where);
  return lines;
}
