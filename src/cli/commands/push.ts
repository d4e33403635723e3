// `ionflow push [--app] [--uname] [--rev] [--force]` and `{:op :push …}`:
// one push, then the ion-dev result map on stdout (SPEC §5); progress on stderr.

import { loadConfig } from '../../config/load.js';
import { chooseApp } from '../../push/choose-app.js';
import { type PushResult, pushApp } from '../../push/push.js';
import { backendOptions, type CliContext } from '../context.js';
import type { OutputMap } from '../output.js';

export interface PushCommandOptions {
  app?: string;
  uname?: string;
  rev?: string;
  force?: boolean;
}

export function pushOutput(result: PushResult): OutputMap {
  const { meta, deployGroups, firstGroup } = result;
  const which = meta.rev ? `--rev ${meta.rev}` : `--uname ${meta.uname}`;
  return {
    ...(meta.rev ? { rev: meta.rev } : { uname: meta.uname ?? meta.name }),
    'deploy-groups': deployGroups,
    'deploy-command': `ionflow deploy --group ${firstGroup ?? '<group>'} ${which}`,
    doc: 'To deploy, issue the :deploy-command, or run a pipeline: ionflow run <pipeline>',
  };
}

export default async function push(ctx: CliContext, options: PushCommandOptions): Promise<number> {
  const config = await loadConfig({ config: ctx.global.config, cwd: ctx.cwd, resolveSymbols: true, warn: ctx.log });
  const appKey = chooseApp(config, options.app, ctx.cwd);
  const result = await pushApp(config, appKey, {
    rev: options.rev,
    uname: options.uname,
    force: Boolean(options.force),
    signal: ctx.signal,
    onProgress: (message) => ctx.log(message),
    backend: backendOptions(ctx),
  });
  ctx.print(pushOutput(result));
  return 0;
}
