// `ionflow rollback <group> [--to <rev|uname>] [--dry-run]` (SPEC §11): deploy
// again a revision that SUCCEEDED on the group before, as the ledger (and a
// local group's own records) tell. Without --to, the newest one that differs
// from the current one. It must still be in the store, and promotion gates
// apply. Output and exit codes as `deploy`.

import { groupConfig } from '../../backends/group-factory.js';
import { createStore } from '../../backends/store-factory.js';
import { loadConfig } from '../../config/load.js';
import { resolveRev } from '../../git/git.js';
import { reportDeploy } from '../deploy-report.js';
import { deployToGroup, pushCommand } from '../../actions/deploy/deploy.js';
import { ExitCode, preconditionError } from '../../model/errors.js';
import { enforceGate } from '../../actions/deploy/gate.js';
import { groupHistory, type HistoryEntry, succeeded } from '../../backends/ledger/read.js';
import { backendOptions, type CliContext } from '../context.js';
import { toRevisionName, shortName } from '../../model/revision.js';

export interface RollbackOptions {
  to?: string;
  dryRun?: boolean;
  overrideGate?: string;
}

/** The entry --to names: a uname, a full SHA, a SHA prefix, or anything git resolves in the app's repository. */
async function named(entries: HistoryEntry[], to: string, root: string, signal: AbortSignal): Promise<HistoryEntry | undefined> {
  const direct = entries.find((r) => r.uname === to || r.rev === to || (/^[0-9a-f]{4,39}$/.test(to) && r.rev?.startsWith(to)));
  if (direct) return direct;
  try {
    const sha = await resolveRev(root, to, signal);
    return entries.find((r) => r.rev === sha);
  } catch {
    return undefined;
  }
}

export default async function rollback(ctx: CliContext, options: RollbackOptions, groupKey: string): Promise<number> {
  const config = await loadConfig({ config: ctx.global.config, cwd: ctx.cwd });
  const backend = backendOptions(ctx);
  const { group, app } = groupConfig(config, groupKey);
  const ok = succeeded(await groupHistory(config, groupKey, { backend }));
  const current = ok[0];
  let target: HistoryEntry | undefined;
  if (options.to !== undefined) {
    target = await named(ok, options.to, app.root, ctx.signal);
    if (!target) {
      throw preconditionError(`${options.to} has not SUCCEEDED on group ${groupKey}; rollback goes only to a revision that ran there`, {
        hint: `see what ran there: ionflow history ${groupKey}`,
      });
    }
  } else {
    if (!current) throw preconditionError(`group ${groupKey} has no successful deployment to roll back from`);
    target = ok.find((r) => r.name !== current.name);
    if (!target) {
      throw preconditionError(`group ${groupKey} has no earlier successful revision to roll back to (it has only run ${current.name})`, {
        hint: `deploy a revision explicitly: ionflow deploy --group ${groupKey} --rev <sha>`,
      });
    }
  }
  const revision = toRevisionName(target);
  const gate = options.overrideGate !== undefined ? { overrideGate: options.overrideGate } : {};
  if (options.dryRun) {
    // What the deploy would find first: the revision in the store, and the gate.
    const meta = await (await createStore(config, group.app, backend)).get(app.name, target.name);
    if (!meta)
      throw preconditionError(`revision ${target.name} of app ${app.name} is no longer in the store`, {
        hint: `push it again: ${pushCommand(config, group.app, revision)}`,
      });
    await enforceGate(config, groupKey, meta, { backend, ...gate, onProgress: (line) => ctx.log(line) });
    const from = current ? `, now running ${shortName(current)}` : '';
    const by = target.by ? ` by ${target.by}` : '';
    ctx.stdout.write(`rollback ${groupKey}: would deploy ${target.name} (SUCCEEDED ${target.startedAt}${by})${from}\n`);
    return ExitCode.ok;
  }
  ctx.log(`rolling back group ${groupKey}${current ? ` from ${current.name}` : ''} to ${target.name} (deployed ${target.startedAt})`);
  const { record } = await deployToGroup(config, groupKey, {
    revision,
    force: true,
    signal: ctx.signal,
    onProgress: (message) => ctx.log(message),
    onLog: (event, line) => ctx.log(`${event}: ${line}`),
    backend,
    ...gate,
  });
  return reportDeploy(ctx, groupKey, record);
}
