// `ionflow push [--app] [--uname] [--rev] [--force]` and `{:op :push …}`:
// one push, then the ion-dev result map on stdout (SPEC §5); progress on stderr.

import { unknownNameMessage } from '../../config/did-you-mean.js';
import { loadConfig } from '../../config/load.js';
import type { DeployConfig } from '../../config/types.js';
import { usageError } from '../../errors.js';
import { type PushResult, pushApp } from '../../push/push.js';
import { backendOptions, type CliContext } from '../context.js';
import type { OutputMap } from '../output.js';

export interface PushCommandOptions {
  app?: string;
  uname?: string;
  rev?: string;
  force?: boolean;
}

/** The app to push: --app (a key or an app-name), else the only one. */
export function chooseApp(config: DeployConfig, wanted: string | undefined): string {
  const keys = Object.keys(config.apps);
  if (wanted !== undefined) {
    if (config.apps[wanted]) return wanted;
    const byName = keys.find((k) => config.apps[k]!.name === wanted);
    if (byName) return byName;
    throw usageError(unknownNameMessage('app', wanted, keys));
  }
  if (keys.length === 1) return keys[0]!;
  if (keys.length === 0) throw usageError(`${config.file} declares no apps`);
  throw usageError(`deploy.yaml has several apps (${keys.join(', ')}): choose one with --app <name>`);
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
  const appKey = chooseApp(config, options.app);
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
