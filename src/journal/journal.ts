// Run journals (SPEC §12): `.ionflow/runs/<run-id>.jsonl` beside deploy.yaml,
// the §8 events of every `run` and of each run of `watch`, plus what a resume
// needs: each step's revision and deployment id. Appended line by line as the
// run goes, so a run killed half-way leaves what it did. Only the newest 50
// journals are kept.

import { appendFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineEvent } from '../engine/events.js';
import { toJsonlRecord } from '../engine/events.js';

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

/** The journal line of an event: its jsonl form, plus the facts a resume reads back. */
export function journalLine(event: EngineEvent): Record<string, unknown> | undefined {
  const line = toJsonlRecord(event);
  if (!line || event.type !== 'step-end') return line;
  const info = event.info ?? {};
  const deployment = info.deployment;
  return {
    ...line,
    ...(event.notRun ? { 'not-run': true } : {}),
    ...(info.rev !== undefined ? { rev: info.rev } : {}),
    ...(info.uname !== undefined ? { uname: info.uname } : {}),
    ...(info.group !== undefined ? { group: info.group } : {}),
    ...(deployment ? (deployment.startsWith('arn:') ? { 'execution-arn': deployment } : { 'deployment-id': deployment }) : {}),
  };
}

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
