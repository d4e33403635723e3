// `ionflow runs [--json] [--limit n]` (SPEC §12): recent pipeline runs, newest
// first, from their journals in .ionflow/runs/.

import { loadConfig } from '../../config/load.js';
import { ExitCode } from '../../model/errors.js';
import { listJournals } from '../../journal/read.js';
import { elapsedText } from '../../text/durations.js';
import { table } from '../../text/table.js';
import type { CliContext } from '../context.js';
import { jsonText } from '../../text/json.js';

export default async function runs(ctx: CliContext, options: { limit?: number }): Promise<number> {
  const config = await loadConfig({ config: ctx.global.config, cwd: ctx.cwd });
  const journals = listJournals(config.dir, options.limit ?? 20);
  if (ctx.global.json) {
    const rows = journals.map((j) => ({
      id: j.id,
      pipeline: j.pipeline,
      ...(j.uname !== undefined ? { uname: j.uname } : { rev: j.rev ?? null }),
      status: j.status,
      started: j.started,
      duration_ms: j.durationMs ?? null,
    }));
    ctx.stdout.write(jsonText(rows));
    return ExitCode.ok;
  }
  if (journals.length === 0) {
    ctx.log('no runs yet');
    return ExitCode.ok;
  }
  const rows = [
    ['ID', 'PIPELINE', 'REVISION', 'STATUS', 'STARTED', 'DURATION'],
    ...journals.map((j) => [
      j.id,
      j.pipeline,
      j.uname ?? (j.rev ? j.rev.slice(0, 7) : '-'),
      j.status,
      j.started.replace(/\.\d+Z$/, 'Z'),
      j.durationMs === undefined ? '-' : elapsedText(j.durationMs),
    ]),
  ];
  ctx.stdout.write(`${table(rows).join('\n')}\n`);
  return ExitCode.ok;
}
