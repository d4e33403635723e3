// Writing the ledger as deployments happen (SPEC §11): a record when a
// deployment starts, rewritten when ionflow sees it end, whichever command
// started or watched it. A deployment that ran is never undone because its
// record could not be written: that is said, and the deploy goes on.

import type { DeploymentId, DeploymentRecord, DeploymentStatus } from '../../model/deployment.js';
import type { RevisionMeta } from '../../model/revision.js';
import { groupConfig } from '../group-factory.js';
import type { BackendOptions } from '../types.js';
import type { DeployConfig } from '../../model/config.js';
import { openLedger } from './open.js';
import { ledgerId, type StartFacts, toLedgerRecord } from './record.js';
import type { LedgerStore } from './store.js';

export interface Tracker {
  /** Record the deployment as it is now (RUNNING when started, its outcome when ended). */
  note(deployment: DeploymentRecord): Promise<void>;
  /** The last deployment noted, if any. */
  readonly last: DeploymentRecord | undefined;
}

export function tracker(ledger: LedgerStore, meta: RevisionMeta, facts: StartFacts, warn: (line: string) => void): Tracker {
  let last: DeploymentRecord | undefined;
  return {
    get last() {
      return last;
    },
    async note(deployment) {
      last = deployment;
      try {
        await ledger.put(toLedgerRecord(deployment, meta, facts), ledgerId(deployment.id));
      } catch (err) {
        warn(`warning: deployment ${ledgerId(deployment.id)} is not recorded in the ledger (${ledger.where}): ${(err as Error).message.split('\n')[0]}`);
      }
    },
  };
}

/** A final status seen by `wait` or `deploy-status`: rewrite the ledger record that still says RUNNING. */
export async function noteOutcome(config: DeployConfig, groupKey: string, id: DeploymentId, status: DeploymentStatus, backend?: BackendOptions): Promise<void> {
  if (status.deployStatus === 'RUNNING') return;
  const { group } = groupConfig(config, groupKey);
  const ledger = await openLedger(config, group.app, backend);
  const key = ledgerId(id);
  const record = await ledger.get(groupKey, key).catch(() => undefined);
  if (record?.['deploy-status'] !== 'RUNNING') return;
  const { error: _old, ...rest } = record;
  await ledger
    .put({ ...rest, 'deploy-status': status.deployStatus, ...(status.error ? { error: status.error } : {}), 'ended-at': new Date().toISOString() }, key)
    .catch(() => {
      // The outcome is still AWS's to tell: a later status or history refreshes a RUNNING record.
    });
}
