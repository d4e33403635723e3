// The closing summary of a run (each step's result, the revision, where it
// went), built from events only, so every human renderer prints the same one.

import type { EngineEvent, RunEndEvent, RunStartEvent, StepEndEvent, StepStartEvent } from '../engine/events.js';
import { conflictsWarning, formatDuration, outputTail, type Paint, stepSymbol, stepWord } from './format.js';

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
  const pushed = [...record.ends.values()].find((e) => e.info?.rev || e.info?.uname);
  const rev = pushed?.info?.rev ?? record.start?.rev;
  const uname = pushed?.info?.uname ?? record.start?.uname;
  if (uname !== undefined) return `revision: ${uname} (uname)`;
  return `revision: ${rev || '(none)'}`;
}

function whereLines(record: RunRecord): string[] {
  const lines: string[] = [];
  for (const e of record.ends.values()) {
    if (!e.info?.group || e.status === 'failed' || e.notRun) continue;
    const how = e.status === 'skipped' ? 'already there' : 'deployed';
    lines.push(`  ${e.info.group}: ${how}${e.info.deployment ? ` (${e.info.deployment})` : ''}${e.info.where ? ` → ${e.info.where}` : ''}`);
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
    `${p.bold(`Pipeline ${start.pipeline}`)} ${colour(status)}${end ? ` in ${formatDuration(end.duration_ms)}` : ''} ${p.dim(`(run ${start.run})`)}`,
  ];
  const width = Math.max(0, ...[...record.ends.keys()].map((k) => k.length));
  for (const e of options.steps ? record.ends.values() : []) {
    const time = e.notRun ? '' : ` ${p.dim(formatDuration(e.duration_ms))}`;
    lines.push(`  ${stepSymbol(e, p)} ${e.step.padEnd(width)}  ${stepWord(e).padEnd(9)} ${e.detail}${time}`);
    if (e.status === 'failed') lines.push(...outputTail(e, '      '));
  }
  for (const e of record.ends.values()) {
    const conflicts = e.info?.dependencyConflicts;
    if (conflicts) lines.push(p.yellow(`warning: ${e.step}: ${conflictsWarning(conflicts)}`));
  }
  lines.push(revisionLine(record));
  const where = whereLines(record);
  if (where.length > 0) lines.push('where it went:', ...where);
  return lines;
}
