// A Datomic Cloud compute group deployed through ion-dev (SPEC §16): deploy
// is `{:op :deploy :group "<compute group>" :rev "…"}` (or :uname), status is
// `{:op :deploy-status :execution-arn "…"}`, and history is the app's ledger
// (SPEC §11), where ionflow records the deployments it starts and how they end.

import type { IonDevConfig, IonDevGroupConfig } from '../../model/config.js';
import { stepError } from '../../model/errors.js';
import type { BackendOptions, ComputeGroup, DeployInput, StatusOptions } from '../types.js';
import {
  type CodeDeployStatus,
  type DeploymentId,
  type DeploymentRecord,
  type DeploymentStatus,
  type DeployStatus,
  isDeployStatus,
} from '../../model/deployment.js';
import { IonDev } from './ion-dev.js';
import { newestFirst, toDeployment } from '../ledger/record.js';
import type { LedgerStore } from '../ledger/store.js';
import { type IonDevMap, text } from './result.js';
import { toRevisionName } from '../../model/revision.js';

/** CodeDeploy's words (Created, InProgress, Baking, Succeeded …) in SPEC §6's four. */
function codeDeployWord(raw: string | undefined, deploy: DeployStatus): CodeDeployStatus {
  const word = raw?.toUpperCase().replace(/[^A-Z]/g, '');
  if (word === 'SUCCEEDED' || word === 'FAILED' || word === 'STOPPED') return word;
  if (word) return 'RUNNING';
  // No CodeDeploy deployment yet (or none reported): it follows the execution.
  return deploy === 'SUCCEEDED' ? 'SUCCEEDED' : deploy === 'RUNNING' ? 'RUNNING' : deploy === 'ABORTED' ? 'STOPPED' : 'FAILED';
}

export function statusOf(map: IonDevMap): DeploymentStatus {
  const raw = text(map, 'deploy-status');
  const deployStatus = raw?.toUpperCase() as DeployStatus | undefined;
  if (!isDeployStatus(deployStatus)) {
    throw stepError(`ion-dev deploy-status answered ${raw === undefined ? 'no :deploy-status' : `an unknown :deploy-status ${raw}`}`);
  }
  const error = text(map, 'error');
  return { deployStatus, codeDeployStatus: codeDeployWord(text(map, 'code-deploy-status'), deployStatus), ...(error ? { error } : {}) };
}

export class IonDevComputeGroup implements ComputeGroup {
  readonly kind = 'ion-dev' as const;
  readonly key: string;
  private readonly ionDev: IonDev;

  constructor(
    private readonly group: IonDevGroupConfig,
    app: { root: string; ionDev: IonDevConfig },
    /** The app's ledger: deployToGroup records there what this group starts, wait and deploy-status how it ends. */
    private readonly ledger: LedgerStore,
    backend: BackendOptions = {},
  ) {
    this.key = group.key;
    this.ionDev = new IonDev(app.ionDev, app.root, backend);
  }

  async deploy(input: DeployInput): Promise<DeploymentRecord> {
    const { revision } = input;
    const which = toRevisionName(revision);
    input.onProgress?.(`ion-dev deploy of ${revision.name} to compute group ${this.group.computeGroup}`);
    const startedAt = new Date().toISOString();
    // ion-dev's lines are the step's log (no lifecycle event: ion-dev has none).
    const onLine = input.onLog ? (line: string) => input.onLog!('', line) : input.onProgress;
    const map = await this.ionDev.call('deploy', { group: this.group.computeGroup, ...which }, { signal: input.signal, onLine });
    const executionArn = text(map, 'execution-arn');
    if (!executionArn) throw stepError('ion-dev deploy answered without an :execution-arn', { hint: 'see the lines it printed above' });
    return {
      id: { executionArn },
      group: this.key,
      appName: revision.appName,
      name: revision.name,
      ...which,
      status: { deployStatus: 'RUNNING', codeDeployStatus: 'RUNNING' },
      startedAt,
    };
  }

  async status(id: DeploymentId, options: StatusOptions = {}): Promise<DeploymentStatus> {
    if (!('executionArn' in id)) throw stepError(`ion-dev deployments are named by execution ARN, not ${id.deploymentId}`);
    const map = await this.ionDev.call('deploy-status', { 'execution-arn': id.executionArn }, { signal: options.signal, onLine: options.onLog });
    return statusOf(map);
  }

  async history(limit = 20): Promise<DeploymentRecord[]> {
    return (await this.ledger.list(this.key)).map(toDeployment).sort(newestFirst).slice(0, limit);
  }
}
