// Reading run journals back: for `ionflow runs` and for `run --resume`.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { journalIds, runsDir } from './journal.js';

export interface JournalLine {
  type: string;
  [key: string]: unknown;
}

export interface RunJournal {
  id: string;
  pipeline: string;
  rev?: string;
  uname?: string;
  started: string;
  /** succeeded | failed | interrupted, or unfinished when the run has no run-end (still going, or killed). */
  status: string;
  durationMs?: number;
  /** The run this one resumed, if it was a `--resume`. */
  resumes?: string;
  lines: JournalLine[];
}

export function readJournal(configDir: string, id: string): RunJournal | undefined {
  let text: string;
  try {
    text = readFileSync(join(runsDir(configDir), `${id}.jsonl`), 'utf8');
  } catch {
    return undefined;
  }
  const lines: JournalLine[] = [];
  for (const raw of text.split('\n')) {
    if (!raw.trim()) continue;
    try {
      lines.push(JSON.parse(raw) as JournalLine);
    } catch {
      // A line cut short by a crash ends the journal.
      break;
    }
  }
  const start = lines.find((l) => l.type === 'run-start');
  if (!start) return undefined;
  const end = lines.find((l) => l.type === 'run-end');
  const resumes = lines.find((l) => l.type === 'resumes')?.run;
  return {
    id,
    pipeline: String(start.pipeline),
    ...(typeof start.rev === 'string' && start.rev ? { rev: start.rev } : {}),
    ...(typeof start.uname === 'string' ? { uname: start.uname } : {}),
    started: String(start.time),
    status: end ? String(end.status) : 'unfinished',
    ...(end && typeof end.duration_ms === 'number' ? { durationMs: end.duration_ms } : {}),
    ...(typeof resumes === 'string' ? { resumes } : {}),
    lines,
  };
}

/** Newest first. */
export function listJournals(configDir: string, limit = Number.POSITIVE_INFINITY): RunJournal[] {
  const out: RunJournal[] = [];
  for (const id of journalIds(runsDir(configDir)).reverse()) {
    if (out.length >= limit) break;
    const journal = readJournal(configDir, id);
    if (journal) out.push(journal);
  }
  return out;
}
