// Which ion-dev group of deploy.yaml ran an execution, for `deploy-status
// --execution-arn` without --group: the one whose ledger records it, else,
// when every ion-dev group deploys one app and no aws group runs executions,
// the first (ion-dev's deploy-status needs only the ARN and the app's ion-dev
// settings).

import type { DeployConfig } from '../../model/config.js';
import { openLedger } from '../ledger/open.js';
import { ledgerId } from '../ledger/record.js';

export async function ionDevGroupOfExecution(config: DeployConfig, executionArn: string): Promise<string | undefined> {
  const groups = Object.values(config.groups).filter((g) => g.kind === 'ion-dev');
  const id = ledgerId({ executionArn });
  for (const g of groups) {
    const ledger = await openLedger(config, g.app);
    const record = await ledger.get(g.key, id).catch(() => undefined);
    if (record?.['execution-arn'] === executionArn) return g.key;
  }
  const awsExecutions = Object.values(config.groups).some((g) => g.kind === 'aws' && g.via === 'step-functions');
  return !awsExecutions && new Set(groups.map((g) => g.app)).size === 1 ? groups[0]!.key : undefined;
}
