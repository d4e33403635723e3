// Reading the ledger back (SPEC §11): a group's deployments, newest first,
// for `history`, `status`, `rollback` and the gates. Local groups' own
// `deployments/*.json` records (all there was before the ledger) are merged
// in, so no history is lost; deployments the ledger still has as RUNNING are
// asked of their back end, which may know they have ended.

import { createGroup, groupConfig } from '../group-factory.js';
import type { BackendOptions } from '../types.js';
import type { DeploymentRecord } from '../../model/deployment.js';
import type { DeployConfig } from '../../model/config.js';
import { idText } from '../../model/deployment.js';
import { IonflowError } from '../../model/errors.js';
import { openLedger } from './open.js';
import { type LedgerDeployment, newestFirst, toDeployment } from './record.js';

export type HistoryEntry = LedgerDeployment & { previous?: string; hooks?: unknown[] };

interface Detailed {
  records(limit?: number): Promise<HistoryEntry[]>;
}

const hasRecords = (group: object): group is Detailed => 'records' in group && typeof group.records === 'function';

/** Every recorded deployment of the app's groups, by group (ledger only; RUNNING entries as recorded). */
export async function appLedger(config: DeployConfig, appKey: string, backend?: BackendOptions): Promise<Map<string, LedgerDeployment[]>> {
  const ledger = await openLedger(config, appKey, backend);
  const byGroup = new Map<string, LedgerDeployment[]>();
  for (const record of await ledger.list()) {
    const list = byGroup.get(record.group) ?? [];
    list.push(toDeployment(record));
    byGroup.set(record.group, list);
  }
  for (const list of byGroup.values()) list.sort(newestFirst);
  return byGroup;
}

/** The group's deployments, newest first: the ledger's, merged with a local group's own records. */
export async function groupHistory(
  config: DeployConfig,
  groupKey: string,
  options: { backend?: BackendOptions; limit?: number; recorded?: LedgerDeployment[] } = {},
): Promise<HistoryEntry[]> {
  const { group } = groupConfig(config, groupKey);
  const recorded = options.recorded ?? (await appLedger(config, group.app, options.backend)).get(groupKey) ?? [];
  const compute = await createGroup(config, groupKey, options.backend);
  const byId = new Map<string, HistoryEntry>(recorded.map((r) => [idText(r.id), r]));
  if (hasRecords(compute)) {
    // A local group's own record has the hooks and the settled status (a dead deployer reads ABORTED).
    for (const local of await compute.records()) {
      const key = idText(local.id);
      const fromLedger = byId.get(key);
      byId.set(key, fromLedger ? { ...fromLedger, ...local, status: local.status } : local);
    }
  }
  const all = [...byId.values()].sort(newestFirst).slice(0, options.limit ?? Number.POSITIVE_INFINITY);
  return Promise.all(all.map((entry) => refreshed(compute, entry)));
}

/** A deployment recorded as RUNNING, with the status its back end gives it now. */
async function refreshed<T extends DeploymentRecord>(compute: Awaited<ReturnType<typeof createGroup>>, entry: T): Promise<T> {
  if (entry.status.deployStatus !== 'RUNNING') return entry;
  try {
    return { ...entry, status: await compute.status(entry.id) };
  } catch (err) {
    // A deployment its back end no longer knows keeps what the ledger says.
    if (err instanceof IonflowError && err.kind === 'usage') return entry;
    throw err;
  }
}

/** Newest SUCCEEDED first. */
export const succeeded = <T extends DeploymentRecord>(entries: T[]): T[] => entries.filter((e) => e.status.deployStatus === 'SUCCEEDED');
