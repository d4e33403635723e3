// A Datomic Cloud compute group deployed through ion-dev (SPEC §16): deploy
// is `{:op :deploy :group "<compute group>" :rev "…"}` (or :uname), status is
// `{:op :deploy-status :execution-arn "…"}`, and history is ionflow's own
// ledger of the deployments it started, updated whenever a status is final.

import type { IonDevConfig, IonDevGroupConfig } from '../../config/types.js';
import { stepError } from '../../errors.js';
import type { BackendOptions, CodeDeployStatus, ComputeGroup, DeployInput, DeploymentId, DeploymentRecord, DeploymentStatus, DeployStatus, StatusOptions } from '../types.js';
import { IonDev } from './ion-dev.js';
import { deployer, type IonDevLedger, toDeployment } from './ledger.js';
import { type IonDevMap, text } from './result.js';

const DEPLOY_WORDS = new Set<DeployStatus>(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']);

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
  if (!deployStatus || !DEPLOY_WORDS.has(deployStatus)) {
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
    private readonly app: { name: string; root: string; ionDev: IonDevConfig },
    private readonly ledger: IonDevLedger,
    backend: BackendOptions = {},
    ionDev?: IonDev,
  ) {
    this.key = group.key;
    this.ionDev = ionDev ?? new IonDev(app.ionDev, app.root, backend);
  }

  async deploy(input: DeployInput): Promise<DeploymentRecord> {
    const { revision } = input;
    const which = revision.rev ? { rev: revision.rev } : { uname: revision.uname ?? revision.name };
    input.onProgress?.(`ion-dev deploy of ${revision.name} to compute group ${this.group.computeGroup}`);
    const startedAt = new Date().toISOString();
    // ion-dev's lines are the step's log (no lifecycle event: ion-dev has none).
    const onLine = input.onLog ? (line: string) => input.onLog!('', line) : input.onProgress;
    const map = await this.ionDev.call('deploy', { group: this.group.computeGroup, ...which }, { signal: input.signal, onLine });
    const executionArn = text(map, 'execution-arn');
    if (!executionArn) throw stepError('ion-dev deploy answered without an :execution-arn', { hint: 'see the lines it printed above' });
    await this.ledger.put({
      group: this.key,
      app: this.app.name,
      ...which,
      'execution-arn': executionArn,
      'deploy-status': 'RUNNING',
      'started-at': startedAt,
      by: await deployer(this.app.root),
      ...(input.run ? { run: input.run } : {}),
    });
    return {
      id: { executionArn },
      group: this.key,
      appName: this.app.name,
      name: revision.name,
      ...which,
      status: { deployStatus: 'RUNNING', codeDeployStatus: 'RUNNING' },
      startedAt,
    };
  }

  async status(id: DeploymentId, options: StatusOptions = {}): Promise<DeploymentStatus> {
    if (!('executionArn' in id)) throw stepError(`ion-dev deployments are named by execution ARN, not ${id.deploymentId}`);
    const map = await this.ionDev.call('deploy-status', { 'execution-arn': id.executionArn }, { signal: options.signal, onLine: options.onLog });
    const status = statusOf(map);
    await this.remember(id.executionArn, status);
    return status;
  }

  /** Rewrite the ledger record once ionflow sees the deployment end. */
  private async remember(executionArn: string, status: DeploymentStatus): Promise<void> {
    if (status.deployStatus === 'RUNNING') return;
    const record = await this.ledger.get(this.key, executionArn);
    if (!record || record['deploy-status'] === status.deployStatus) return;
    await this.ledger.put({
      ...record,
      'deploy-status': status.deployStatus,
      ...(status.error ? { error: status.error } : {}),
      'ended-at': new Date().toISOString(),
    });
  }

  async history(limit = 20): Promise<DeploymentRecord[]> {
    return (await this.ledger.list(this.key)).slice(0, limit).map(toDeployment);
  }
}
