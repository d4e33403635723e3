// `ionflow deploy --group g (--rev | --uname)` and `{:op :deploy …}`: one
// deployment, always made (the user asked for it; pipelines skip up-to-date
// groups), then the ion-dev map on stdout (SPEC §6). A local deployment has
// finished by then: FAILED prints the map, an error line, and exits 1.

import { loadConfig } from '../../config/load.js';
import { reportDeploy, revisionFromFlags } from '../deploy-report.js';
import { deployToGroup } from '../../actions/deploy/deploy.js';
import { usageError } from '../../model/errors.js';
import { backendOptions, type CliContext } from '../context.js';

export interface DeployCommandOptions {
  group?: string;
  rev?: string;
  uname?: string;
  overrideGate?: string;
}

export default async function deploy(ctx: CliContext, options: DeployCommandOptions): Promise<number> {
  if (!options.group) throw usageError('say which group to deploy to: --group <g>');
  const config = await loadConfig({ config: ctx.global.config, cwd: ctx.cwd });
  const revision = await revisionFromFlags(config, options.group, options, ctx.signal);
  const { record } = await deployToGroup(config, options.group, {
    revision,
    force: true,
    signal: ctx.signal,
    onProgress: (message) => ctx.log(message),
    onLog: (event, line) => ctx.log(`${event}: ${line}`),
    backend: backendOptions(ctx),
    ...(options.overrideGate !== undefined ? { overrideGate: options.overrideGate } : {}),
  });
  return reportDeploy(ctx, options.group, record);
}
