// Deploy one pushed revision to one group: the logic behind `ionflow deploy`,
// `ionflow rollback` and a pipeline's deploy steps (../step-runner.ts). Make-style: a group
// whose latest successful deployment is this revision (same name and same
// content) is skipped unless forced.

import { createGroup, groupConfig } from '../../backends/group-factory.js';
import { createStore } from '../../backends/store-factory.js';
import type { BackendOptions, ComputeGroup } from '../../backends/types.js';
import { type DeploymentRecord, sameRevision } from '../../model/deployment.js';
import { type RevisionMeta, type RevisionName, revisionName } from '../../model/revision.js';
import type { DeployConfig } from '../../model/config.js';
import { preconditionError, stepError } from '../../model/errors.js';
import { deployer, openLedger } from '../../backends/ledger/open.js';
import { enforceGate } from './gate.js';
import { tracker } from '../../backends/ledger/track.js';

export interface DeployOptions {
  revision: RevisionName;
  force?: boolean;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
  /** A local group's hook output, line by line (SPEC §13). */
  onLog?: (event: string, line: string) => void;
  backend?: BackendOptions;
  /** The run that deploys (recorded in the ledger). */
  run?: string;
  /** --override-gate: deploy past a promotion gate, for this reason (recorded in the ledger). */
  overrideGate?: string;
}

export interface DeployResult {
  record: DeploymentRecord;
  /** True when the group already ran this revision successfully (nothing was deployed). */
  skipped: boolean;
}

/** The push command that would put this revision in the store, for hints. */
export function pushCommand(config: DeployConfig, appKey: string, revision: RevisionName): string {
  const app = Object.keys(config.apps).length > 1 ? ` --app ${appKey}` : '';
  return revision.rev ? `ionflow push${app} --rev ${revision.rev}` : `ionflow push${app} --uname ${revision.uname}`;
}

/** The group's latest successful deployment when it is this very revision (make-style skip), else undefined. */
export async function latestIfDeployed(group: ComputeGroup, meta: RevisionMeta): Promise<DeploymentRecord | undefined> {
  const latest = (await group.history(20)).find((r) => r.status.deployStatus === 'SUCCEEDED');
  return latest && sameRevision(latest, meta) ? latest : undefined;
}

/**
 * For `plan`'s up-to-date check (../up-to-date.ts): whether `groupKey` already
 * runs this stored revision (same name and content). Returns that deployment.
 */
export async function isDeployedAlready(
  config: DeployConfig,
  groupKey: string,
  meta: RevisionMeta,
  backend?: BackendOptions,
): Promise<DeploymentRecord | undefined> {
  return latestIfDeployed(await createGroup(config, groupKey, backend), meta);
}

export async function deployToGroup(config: DeployConfig, groupKey: string, options: DeployOptions): Promise<DeployResult> {
  const { group, app } = groupConfig(config, groupKey);
  const name = revisionName(options.revision);
  const store = await createStore(config, group.app, options.backend);
  const meta = await store.get(app.name, name);
  if (!meta) {
    throw preconditionError(`revision ${name} of app ${app.name} is not in the store (${store.where})`, {
      hint: `push it first: ${pushCommand(config, group.app, options.revision)}`,
    });
  }
  if (meta.name !== name) {
    throw stepError(`revision ${name} in the store does not match its metadata (name ${meta.name}); push it again with --force`);
  }
  const compute = await createGroup(config, groupKey, options.backend);
  const skip = (latest: DeploymentRecord): DeployResult => {
    options.onProgress?.(`group ${groupKey} already runs ${name}; skipped (force to redeploy)`);
    return { record: latest, skipped: true };
  };
  if (!options.force) {
    const latest = await latestIfDeployed(compute, meta);
    if (latest) return skip(latest);
  }
  await enforceGate(config, groupKey, meta, options);
  // A local group asks again under its lock: a parallel run of the same revision may get there first.
  let deployedMeanwhile: DeploymentRecord | undefined;
  const upToDate = async () => {
    deployedMeanwhile = await latestIfDeployed(compute, meta);
    return deployedMeanwhile;
  };
  const ledger = await openLedger(config, group.app, options.backend);
  const facts = { by: await deployer(app.root), run: options.run, reason: options.overrideGate };
  const track = tracker(ledger, meta, facts, (line) => options.onProgress?.(line));
  let record: DeploymentRecord;
  try {
    record = await compute.deploy({
      revision: meta,
      store,
      ...(options.force ? {} : { upToDate }),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.onLog ? { onLog: options.onLog } : {}),
      onStarted: (started) => track.note(started),
    });
  } catch (err) {
    // A local deployment cut short by Ctrl-C ends ABORTED; its record says so.
    const started = track.last;
    if (started && started.status.deployStatus === 'RUNNING') {
      await track.note({
        ...started,
        status: { deployStatus: 'ABORTED', codeDeployStatus: 'STOPPED', error: 'interrupted' },
        finishedAt: new Date().toISOString(),
      });
    }
    throw err;
  }
  if (deployedMeanwhile) return skip(deployedMeanwhile);
  await track.note(record);
  return { record, skipped: false };
}
