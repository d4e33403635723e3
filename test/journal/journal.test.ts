// The run journal sink: one file per run, the §8 lines plus what a resume
// reads back, and only the newest 50 journals kept.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { journalSink, KEEP_JOURNALS } from '../../src/journal/journal.js';
import { makeTempDir } from '../support/repo.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('run journals', () => {
  it('writes each run to .ionflow/runs/<run>.jsonl with deployment ids, and keeps only the newest 50', () => {
    dir = makeTempDir('ionflow-journal-');
    const runs = join(dir, '.ionflow/runs');
    mkdirSync(runs, { recursive: true });
    const old = Array.from({ length: 55 }, (_, i) => `a${String(i).padStart(3, '0')}-000000`);
    for (const id of old) writeFileSync(join(runs, `${id}.jsonl`), '{}\n');
    const warnings: string[] = [];
    const sink = journalSink(dir, (l) => warnings.push(l));
    sink({ type: 'run-start', run: 'b000-111111', pipeline: 'ship', rev: 'f'.repeat(40), time: '2026-01-01T00:00:00.000Z' });
    sink({ type: 'step-progress', run: 'b000-111111', step: 'deploy-staging', message: 'not journaled' });
    sink({
      type: 'step-end',
      run: 'b000-111111',
      step: 'deploy-staging',
      status: 'succeeded',
      duration_ms: 5,
      detail: 'deployed',
      facts: { rev: 'f'.repeat(40), group: 'staging', 'execution-arn': 'arn:aws:states:us-east-1:1:execution:sm:x' },
    });
    sink({ type: 'run-end', run: 'b000-111111', status: 'interrupted', duration_ms: 9, resume: 'ionflow run ship --resume b000-111111' });

    const left = readdirSync(runs).sort();
    expect(left).toHaveLength(KEEP_JOURNALS);
    expect(left).toEqual([...old.slice(-(KEEP_JOURNALS - 1)).map((id) => `${id}.jsonl`), 'b000-111111.jsonl']);
    const lines = readFileSync(join(runs, 'b000-111111.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.type)).toEqual(['run-start', 'step-end', 'run-end']);
    expect(lines[1]).toMatchObject({ group: 'staging', 'execution-arn': 'arn:aws:states:us-east-1:1:execution:sm:x', rev: 'f'.repeat(40) });
    expect(lines[2]).toMatchObject({ resume: 'ionflow run ship --resume b000-111111' });
    expect(warnings).toEqual([]);
  });
});
