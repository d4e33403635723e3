// `ionflow rollback <group>`: deploy again the newest successful revision of
// the group that differs from the current one (the newest successful). It
// must still be in the store. Output and exit codes as `deploy`.

import { createGroup } from '../../backends/group-factory.js';
import { loadConfig } from '../../config/load.js';
import { reportDeploy } from '../../deploy/cli.js';
import { deployToGroup } from '../../deploy/deploy.js';
import { preconditionError } from '../../errors.js';
import { backendOptions, type CliContext } from '../context.js';

const HISTORY_DEPTH = 100;

export default async function rollback(ctx: CliContext, _options: object, groupKey: string): Promise<number> {
  const config = await loadConfig({ config: ctx.global.config, cwd: ctx.cwd });
  const backend = backendOptions(ctx);
  const group = await createGroup(config, groupKey, backend);
  const succeeded = (await group.history(HISTORY_DEPTH)).filter((r) => r.status.deployStatus === 'SUCCEEDED');
  const current = succeeded[0];
  if (!current) throw preconditionError(`group ${groupKey} has no successful deployment to roll back from`);
  const target = succeeded.find((r) => r.name !== current.name);
  if (!target) {
    throw preconditionError(`group ${groupKey} has no earlier successful revision to roll back to (it has only run ${current.name})`, {
      hint: `deploy a revision explicitly: ionflow deploy --group ${groupKey} --rev <sha>`,
    });
  }
  ctx.log(`rolling back group ${groupKey} from ${current.name} to ${target.name} (deployed ${target.startedAt})`);
  const { record } = await deployToGroup(config, groupKey, {
    revision: target.rev ? { rev: target.rev } : { uname: target.uname ?? target.name },
    force: true,
    signal: ctx.signal,
    onProgress: (message) => ctx.log(message),
    onLog: (event, line) => ctx.log(`${event}: ${line}`),
    backend,
  });
  return reportDeploy(ctx, groupKey, record);
}
