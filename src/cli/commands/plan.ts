// `ionflow plan <pipeline>`: the resolved task graph, changing nothing.
import { loadConfig } from '../../config/load.js';
import { pipelineOrFail } from '../../config/lookup.js';
import { checkRevisionFlags } from '../../model/names.js';
import { IonflowError } from '../../model/errors.js';
import { planPipeline } from '../../graph/plan.js';
import { upToDateCheck } from '../../actions/up-to-date.js';
import { table } from '../../text/table.js';
import { backendOptions, type CliContext } from '../context.js';

export interface PlanOptions {
  rev?: string;
  uname?: string;
  force?: boolean;
}

export default async function plan(ctx: CliContext, options: PlanOptions, name?: string): Promise<number> {
  if (!name) throw new IonflowError('usage', 'plan needs a pipeline name');
  checkRevisionFlags(options);
  const config = await loadConfig({ config: ctx.global.config, cwd: ctx.cwd });
  const pipeline = pipelineOrFail(config, name);
  const steps = await planPipeline(pipeline, {
    force: Boolean(options.force),
    // Whether each push and deploy step would be skipped as up to date: the decision `run` makes.
    upToDate: upToDateCheck(config, { steps: pipeline.steps, rev: options.rev, uname: options.uname, backend: backendOptions(ctx), signal: ctx.signal }),
    appOfGroup: (group) => config.groups[group]?.app,
  });
  if (ctx.global.json) {
    ctx.stdout.write(`${JSON.stringify({ pipeline: pipeline.key, description: pipeline.description ?? null, steps })}\n`);
    return 0;
  }
  const lines = [`pipeline ${pipeline.key}${pipeline.description ? `: ${pipeline.description}` : ''}`];
  const rows = steps.map((s, i) => [
    `${i + 1}.`,
    s.id,
    s.kind,
    s.target,
    s.needs.length ? `needs ${s.needs.join(', ')}` : 'needs nothing',
    s.reason ? (s.reason.startsWith('gate: ') || s.state === 'run' ? `${s.state} (${s.reason})` : `${s.state}: ${s.reason}`) : s.state,
  ]);
  lines.push(...table(rows).map((l) => `  ${l}`));
  ctx.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
