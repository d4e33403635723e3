// `ionflow list`: pipelines with their descriptions and steps.
import { didYouMean } from '../../text/did-you-mean.js';
import { loadConfig } from '../../config/load.js';
import type { DeployConfig, PipelineConfig } from '../../model/config.js';
import { IonflowError } from '../../model/errors.js';
import { stepTarget } from '../../graph/plan.js';
import type { CliContext } from '../context.js';

/** The pipeline, or a usage error (exit 2) naming the known ones. */
export function pipelineOrFail(config: DeployConfig, name: string): PipelineConfig {
  const pipeline = config.pipelines[name];
  if (pipeline) return pipeline;
  const known = Object.keys(config.pipelines);
  throw new IonflowError('usage', `unknown pipeline '${name}'${didYouMean(name, known)}`, {
    hint: known.length ? `pipelines in this deploy.yaml: ${known.join(', ')}` : 'this deploy.yaml defines no pipelines',
  });
}

/** Rows of cells as left-aligned columns. */
export function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length);
  }
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '));
}

export default async function list(ctx: CliContext, _options: Record<string, unknown>): Promise<number> {
  const config = await loadConfig({ config: ctx.global.config, cwd: ctx.cwd });
  const pipelines = Object.values(config.pipelines).map((p) => ({
    name: p.key,
    description: p.description ?? null,
    steps: p.steps.map((s) => ({ id: s.id, kind: s.kind, target: stepTarget(s), needs: s.needs })),
  }));
  if (ctx.global.json) {
    ctx.stdout.write(`${JSON.stringify({ pipelines })}\n`);
    return 0;
  }
  if (pipelines.length === 0) {
    ctx.stdout.write('no pipelines\n');
    return 0;
  }
  const lines: string[] = [];
  for (const p of pipelines) {
    lines.push(p.description ? `${p.name}: ${p.description}` : p.name);
    lines.push(...table(p.steps.map((s) => [s.id, `${s.kind} ${s.target}`, s.needs.length ? `needs ${s.needs.join(', ')}` : 'needs nothing'])).map((l) => `  ${l}`));
  }
  ctx.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
