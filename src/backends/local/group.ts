// The local compute group (SPEC §6): a folder on this machine where a
// deployment unpacks the revision into releases/<name>, runs the appspec.yml
// hooks like the CodeDeploy agent, and switches `current` only on success.
// Deployments finish before deploy() returns, under the group's lock
// (group-install.ts, loaded only then).

import type { LocalGroupConfig } from '../../model/config.js';
import { IonflowError } from '../../model/errors.js';
import type { ComputeGroup, DeployInput } from '../types.js';
import { type DeploymentId, type DeploymentRecord, type DeploymentStatus, parseLocalArn } from '../../model/deployment.js';
import type { LocalDeploymentFile } from './deployment-file.js';
import { listRecords, readRecord, statusOf, toDeploymentRecord } from './records.js';

export class LocalComputeGroup implements ComputeGroup {
  readonly kind = 'local' as const;
  readonly key: string;
  readonly dir: string;

  constructor(
    private readonly config: LocalGroupConfig,
    private readonly appName: string,
  ) {
    this.key = config.key;
    this.dir = config.dir;
  }

  async deploy(input: DeployInput): Promise<DeploymentRecord> {
    // lazy: group-install costs 67 ms; status, history and rollback's reads do not install (npm run bench -- imports; node -e 0: 85 ms)
    const { runDeployment } = await import('./group-install.js');
    return runDeployment(this.config, this.appName, input);
  }

  async status(id: DeploymentId): Promise<DeploymentStatus> {
    const localId = this.localId(id);
    const record = await readRecord(this.dir, localId);
    if (!record) {
      throw new IonflowError('usage', `no deployment ${localId} in group ${this.key}`, {
        hint: `list the group's deployments with: ionflow history ${this.key}`,
      });
    }
    return statusOf((await this.settle([record]))[0]!);
  }

  async history(limit?: number): Promise<DeploymentRecord[]> {
    return (await this.settle(await listRecords(this.dir, limit))).map(toDeploymentRecord);
  }

  /** History with each deployment's hook runs and previous release, for `history --json`. */
  async records(limit?: number): Promise<(DeploymentRecord & Pick<LocalDeploymentFile, 'hooks' | 'previous'>)[]> {
    return (await this.settle(await listRecords(this.dir, limit))).map((file) => ({
      ...toDeploymentRecord(file),
      ...(file.previous ? { previous: file.previous } : {}),
      hooks: file.hooks,
    }));
  }

  /**
   * RUNNING records whose deployer died mid-way (kill -9, power loss) read as
   * ABORTED: nobody will finish them. Only the lock holder deploys, and it
   * writes the newest record, so a RUNNING record is alive only when the lock
   * is held and no newer record exists. One rule for status, history and
   * rollback, so they never disagree.
   */
  private async settle(files: LocalDeploymentFile[]): Promise<LocalDeploymentFile[]> {
    if (!files.some((f) => f.status === 'RUNNING')) return files;
    // lazy: the lock module (proper-lockfile) costs 18 ms; only a group with a RUNNING record needs it (npm run bench -- imports; node -e 0: 85 ms)
    const { isGroupLocked } = await import('./lock.js');
    const newest = (await listRecords(this.dir, 1))[0]?.id;
    const locked = await isGroupLocked(this.dir);
    return files.map((f) =>
      f.status === 'RUNNING' && !(locked && f.id === newest)
        ? { ...f, status: 'ABORTED', error: 'the deploying process ended before the deployment finished' }
        : f,
    );
  }

  private localId(id: DeploymentId): string {
    if ('deploymentId' in id) return parseLocalArn(id.deploymentId)?.id ?? id.deploymentId;
    const parsed = parseLocalArn(id.executionArn);
    if (!parsed || parsed.group !== this.key) {
      throw new IonflowError('usage', `${id.executionArn} is not a deployment of local group ${this.key}`);
    }
    return parsed.id;
  }
}
