// Run journals (SPEC §12): `.ionflow/runs/<run-id>.jsonl` beside deploy.yaml,
// the §8 events of every `run` and of each run of `watch`, whose step-end
// facts are what a resume needs: each step's revision and deployment id. Appended line by line as the
// run goes, so a run killed half-way leaves what it did. Only the newest 50
// journals are kept.

import { appendFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type EngineEvent, toJsonlRecord } from '../engine/events.js';

export const KEEP_JOURNALS = 50;

export const runsDir = (configDir: string) => join(configDir, '.ionflow', 'runs');

/** Journal ids sort by start time (`newRunId`): the newest are last. */
export function journalIds(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.jsonl'))
    .map((n) => n.slice(0, -'.jsonl'.length))
    .sort();
}

/** The journal line of an event: its jsonl form, whose step-end facts (revision, deployment id) a resume reads back. */
export const journalLine = (event: EngineEvent): Record<string, unknown> | undefined => toJsonlRecord(event);

/**
 * An event sink that journals each run under `configDir`. A journal that
 * cannot be written costs the run nothing: `warn` says so once.
 */
export function journalSink(configDir: string, warn: (line: string) => void): (event: EngineEvent) => void {
  const dir = runsDir(configDir);
  let file: string | undefined;
  let broken = false;
  return (event) => {
    if (broken) return;
    try {
      if (event.type === 'run-start') {
        mkdirSync(dir, { recursive: true });
        file = join(dir, `${event.run}.jsonl`);
        for (const old of journalIds(dir).slice(0, -(KEEP_JOURNALS - 1))) rmSync(join(dir, `${old}.jsonl`), { force: true });
      }
      const line = file && journalLine(event);
      if (file && line) appendFileSync(file, `${JSON.stringify(line)}\n`);
    } catch (err) {
      broken = true;
      warn(`warning: the run journal in ${dir} cannot be written (${(err as Error).message}); --resume will not know this run`);
    }
  };
}

/**
 * Mark run `id`'s journal as the resume of run `resumed`, so that a later
 * `--resume` starts from the newest run of that chain: the older one, once
 * resumed, is done with, and resuming it again would re-run what the resume already did.
 */
export function noteResumes(configDir: string, id: string, resumed: string): void {
  try {
    appendFileSync(join(runsDir(configDir), `${id}.jsonl`), `${JSON.stringify({ type: 'resumes', run: resumed })}\n`);
  } catch {
    // journalSink has already said that this run's journal cannot be written.
  }
}
