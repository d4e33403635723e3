// `ionflow list`: pipelines with their descriptions and steps.
import { loadConfig } from '../../config/load.js';
import { stepTarget } from '../../graph/plan.js';
import { table } from '../../text/table.js';
import type { CliContext } from '../context.js';

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
    lines.push(
      ...table(p.steps.map((s) => [s.id, `${s.kind} ${s.target}`, s.needs.length ? `needs ${s.needs.join(', ')}` : 'needs nothing'])).map((l) => `  ${l}`),
    );
  }
  ctx.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
