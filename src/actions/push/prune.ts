// `keep-revisions: <n>` of a local store (SPEC §5): after a push, delete the
// app's revisions beyond the newest n (by pushed-at), except the ones still in
// use or wanted for a rollback. Pruning only ever follows a push that worked,
// and a revision it cannot prove unused is kept.

import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readCurrent } from '../../backends/local/releases.js';
import { tempPathFor } from '../../fs/atomic-write.js';
import { orIfMissing } from '../../fs/or-if-missing.js';
import type { DeploymentRecord } from '../../model/deployment.js';
import type { RevisionMeta } from '../../model/revision.js';
import type { AppConfig, DeployConfig } from '../../model/config.js';
import { appLedger, groupHistory, succeeded } from '../../backends/ledger/read.js';

/** How many SUCCEEDED deployments per group stay deployable by rollback. */
export const KEEP_SUCCEEDED = 3;

/** A redeploy of the current revision unpacks into `<name>.<deployment-id>` (see group-install). */
const REDEPLOY_SUFFIX = /\.d-\d{8}-\d{6}-\d{3}-[0-9a-f]{6}$/;

/**
 * The revision names pruning must keep: what a local group's `current` runs,
 * what a deployment still RUNNING deploys, and each group's last 3 SUCCEEDED
 * deployments (`histories`: one list per group, newest first).
 */
export function protectedRevisions(currents: string[], histories: DeploymentRecord[][]): Set<string> {
  const names = new Set(currents.map((c) => c.replace(REDEPLOY_SUFFIX, '')));
  for (const history of histories) {
    for (const d of history) if (d.status.deployStatus === 'RUNNING') names.add(d.name);
    for (const d of succeeded(history).slice(0, KEEP_SUCCEEDED)) names.add(d.name);
  }
  return names;
}

/** The store of `a` is the one of `b`: same app-name in the same local folder. */
function sameStore(a: AppConfig | undefined, b: AppConfig): boolean {
  return a?.name === b.name && a.store.kind === 'local' && b.store.kind === 'local' && a.store.dir === b.store.dir;
}

/**
 * Gather, for every group deploying from this store (groups of apps with an
 * S3 store never read it) and every group its ledger knows, what
 * `protectedRevisions` needs.
 */
async function protectedFor(config: DeployConfig, appKey: string): Promise<Set<string>> {
  const app = config.apps[appKey]!;
  const groups = Object.values(config.groups).filter((g) => sameStore(config.apps[g.app], app));
  const currents: string[] = [];
  const histories: DeploymentRecord[][] = [];
  const ledgers = new Map<string, Awaited<ReturnType<typeof appLedger>>>();
  for (const group of groups) {
    if (group.kind === 'local') {
      const current = await readCurrent(group.dir);
      if (current) currents.push(current);
    }
    if (!ledgers.has(group.app)) ledgers.set(group.app, await appLedger(config, group.app));
    // groupHistory merges a local group's own deployments/*.json and asks RUNNING ones how they ended.
    histories.push(await groupHistory(config, group.key, { recorded: ledgers.get(group.app)!.get(group.key) ?? [] }));
  }
  // Groups since removed from deploy.yaml still have rollback targets in the ledger.
  if (!ledgers.has(appKey)) ledgers.set(appKey, await appLedger(config, appKey));
  const known = new Set(groups.map((g) => g.key));
  for (const ledger of ledgers.values()) {
    for (const [group, list] of ledger) if (!known.has(group)) histories.push(list);
  }
  return protectedRevisions(currents, histories);
}

export interface PruneResult {
  pruned: string[];
  /** Older than the newest n but kept because protected. */
  kept: string[];
}

/**
 * Delete the revisions of `all` (newest first) beyond the newest `keep` that
 * are not protected. The metadata goes first: its presence is what registers
 * a revision, so no reader is ever offered one whose zip is gone.
 */
export async function pruneStore(config: DeployConfig, appKey: string, folder: string, all: RevisionMeta[], keep: number): Promise<PruneResult> {
  const older = all.slice(keep);
  if (older.length === 0) return { pruned: [], kept: [] };
  const safe = await protectedFor(config, appKey);
  const pruned: string[] = [];
  const kept: string[] = [];
  for (const meta of older) {
    if (safe.has(meta.name)) {
      kept.push(meta.name);
      continue;
    }
    const json = join(folder, `${meta.name}.json`);
    const zip = join(folder, `${meta.name}.zip`);
    // Renamed to temp names first (atomic), so a prune killed half-way leaves
    // only temps, which the next push's removeDeadTemps clears.
    const [jsonTemp, zipTemp] = [tempPathFor(json), tempPathFor(zip)];
    await rename(json, jsonTemp);
    await orIfMissing(rename(zip, zipTemp), undefined);
    await Promise.all([rm(jsonTemp, { force: true }), rm(zipTemp, { force: true })]);
    pruned.push(meta.name);
  }
  return { pruned, kept };
}
