// `ionflow push [--app] [--uname] [--rev] [--force]` and `{:op :push …}`:
// one push, then the ion-dev result map on stdout (SPEC §5); progress on stderr.

import { loadConfig } from '../../config/load.js';
import { chooseApp } from '../../actions/push/choose-app.js';
import { type PushResult, pushApp } from '../../actions/push/push.js';
import { conflictsWarning } from '../../render/format.js';
import { backendOptions, type CliContext } from '../context.js';
import type { OutputMap, OutputValue } from '../output.js';

export interface PushCommandOptions {
  app?: string;
  uname?: string;
  rev?: string;
  force?: boolean;
}

/** The `ionflow deploy` that deploys this push to the app's first group (ion-dev's `:deploy-command`, in ionflow's words). */
const deployCommand = ({ meta, firstGroup }: PushResult) =>
  `ionflow deploy --group ${firstGroup ?? '<group>'} ${meta.rev ? `--rev ${meta.rev}` : `--uname ${meta.uname}`}`;

/** An ion-dev push prints ion-dev's own map, its :deploy-command rewritten and the original kept as :ion-dev-command. */
function ionDevOutput(result: PushResult, ionDev: NonNullable<PushResult['ionDev']>): OutputMap {
  const out: OutputMap = {};
  for (const [key, value] of Object.entries(ionDev.result)) {
    if (key === 'deploy-command') out['deploy-command'] = deployCommand(result);
    else out[key] = value as OutputValue;
    if (key === 'deploy-command') out['ion-dev-command'] = value as OutputValue;
  }
  out['deploy-command'] ??= deployCommand(result);
  return out;
}

export function pushOutput(result: PushResult): OutputMap {
  if (result.ionDev) return ionDevOutput(result, result.ionDev);
  const { meta, deployGroups } = result;
  return {
    ...(meta.rev ? { rev: meta.rev } : { uname: meta.uname ?? meta.name }),
    'deploy-groups': deployGroups,
    'deploy-command': deployCommand(result),
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
  const conflicts = result.ionDev?.conflicts ?? {};
  if (Object.keys(conflicts).length > 0) ctx.log(`warning: ${conflictsWarning(conflicts)}`);
  ctx.print(pushOutput(result));
  return 0;
}
