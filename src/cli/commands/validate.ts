// `ionflow validate`: deploy.yaml and every referenced ion-config.edn,
// all problems at once (exit 2), else `ok`; warnings (SPEC §15) go to stderr
// and fail nothing.
import { loadConfig } from '../../config/load.js';
import type { CliContext } from '../context.js';

export default async function validate(ctx: CliContext, _options: Record<string, unknown>): Promise<number> {
  await loadConfig({ config: ctx.global.config, cwd: ctx.cwd, resolveSymbols: true, warn: ctx.log });
  ctx.stdout.write('ok\n');
  return 0;
}
