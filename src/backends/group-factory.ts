// The one place a ComputeGroup is made from config (STYLE §2). The aws group
// (and with it the AWS SDK) is imported only when an aws group is used.

import { appOrFail } from '../config/lookup.js';
import { unknownNameMessage } from '../text/did-you-mean.js';
import type { DeployConfig } from '../model/config.js';
import { usageError } from '../model/errors.js';
import type { BackendOptions, ComputeGroup } from './types.js';

export function groupConfig(config: DeployConfig, groupKey: string) {
  const group = config.groups[groupKey];
  if (!group) {
    throw usageError(unknownNameMessage('group', groupKey, Object.keys(config.groups)));
  }
  return { group, app: appOrFail(config, group.app) };
}

export async function createGroup(config: DeployConfig, groupKey: string, opts: BackendOptions = {}): Promise<ComputeGroup> {
  const { group, app } = groupConfig(config, groupKey);
  if (group.kind === 'local') {
    // lazy: each group kind's modules only for that kind: local 19 ms, ion-dev 18 + 10.5 ms, aws 11 + 11 ms (npm run bench -- imports; node -e 0: 85 ms)
    const { LocalComputeGroup } = await import('./local/group.js');
    return new LocalComputeGroup(group, app.name);
  }
  if (group.kind === 'ion-dev') {
    if (app.store.kind !== 'ion-dev') throw usageError(`group ${groupKey}: app ${group.app} is not an ion-dev app`);
    // ion-dev keeps no history ionflow can read: the group's is the ledger's (SPEC §11).
    const [{ IonDevComputeGroup }, { openLedger }] = await Promise.all([import('./ion-dev/group.js'), import('./ledger/open.js')]);
    return new IonDevComputeGroup(group, { root: app.root, ionDev: app.store }, await openLedger(config, group.app, opts), opts);
  }
  const profile = group.profile ? config.profiles[group.profile] : undefined;
  if (group.profile && !profile) throw usageError(`group ${groupKey}: unknown profile ${group.profile}`);
  const [{ createAwsClients }, { AwsComputeGroup }] = await Promise.all([import('./aws/clients.js'), import('./aws/group.js')]);
  return new AwsComputeGroup(group, app, createAwsClients(profile, opts));
}
