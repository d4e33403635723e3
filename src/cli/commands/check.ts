// `ionflow check [<pipeline>] [--json]` (SPEC §14): the preflight checks alone,
// one line each on stdout (or a JSON array with --json); exit 3 when any failed.

import { loadConfig } from '../../config/load.js';
import { ExitCode } from '../../model/errors.js';
import { pipelineOrFail } from '../../config/lookup.js';
import { runPreflight } from '../../actions/preflight/preflight.js';
import { countLine, resultJson, resultLine } from '../../actions/preflight/results.js';
import { backendOptions, type CliContext } from '../context.js';
import { jsonText } from '../../text/json.js';

export default async function check(ctx: CliContext, options: { json?: boolean }, pipelineKey?: string): Promise<number> {
  const config = await loadConfig({ config: ctx.global.config, cwd: ctx.cwd });
  const pipeline = pipelineKey === undefined ? undefined : pipelineOrFail(config, pipelineKey);
  const results = await runPreflight(config, pipeline, backendOptions(ctx));
  if (ctx.global.json || options.json) ctx.stdout.write(jsonText(results.map(resultJson)));
  else ctx.stdout.write(`${[...results.map(resultLine), countLine(results)].join('\n')}\n`);
  const bad = results.filter((r) => r.status === 'failed').length;
  if (bad > 0) {
    ctx.log(`error: preflight: ${bad} of ${results.length} checks failed`);
    return ExitCode.precondition;
  }
  return ExitCode.ok;
}
