// `history --json` (SPEC §13): each failed deployment with its `failure`. The
// ledger keeps the one-line error only; where and why (the failed hook, target
// or state) is asked of the back end, which for aws reads CodeDeploy's targets
// and the execution history. Local records already hold it.

import type { ComputeGroup } from '../../backends/types.js';
import type { DeploymentRecord } from '../../model/deployment.js';
import { isFailed } from '../../model/deployment.js';

export async function withFailures<T extends DeploymentRecord>(group: ComputeGroup, records: T[]): Promise<T[]> {
  return Promise.all(
    records.map(async (record) => {
      if (!isFailed(record.status) || record.status.failure) return record;
      // A deployment its back end cannot describe any more keeps what was recorded.
      const status = await group.status(record.id).catch(() => undefined);
      return status?.failure ? { ...record, status: { ...record.status, failure: status.failure } } : record;
    }),
  );
}
