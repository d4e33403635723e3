// The local compute group (SPEC §6): a folder on this machine where a
// deployment unpacks the revision into releases/<name>, runs the appspec.yml
// hooks like the CodeDeploy agent, and switches `current` only on success.
// Deployments finish before deploy() returns, under the group's lock.

import { IonflowError, isAbortError } from '../../errors.js';
import type { LocalGroupConfig } from '../../config/types.js';
import type { ComputeGroup, DeployInput, DeploymentId, DeploymentRecord, DeploymentStatus } from '../types.js';
import { readAppSpec } from './appspec.js';
import { describeFailure, type HookRun, type HookStep, runHooks } from './hooks.js';
import { acquireGroupLock, isGroupLocked } from './lock.js';
import {
  type LocalDeploymentFile,
  listRecords,
  localArn,
  newDeploymentId,
  parseLocalArn,
  readRecord,
  statusOf,
  toDeploymentRecord,
  writeRecord,
} from './records.js';
import { installRelease, pruneReleases, readCurrent, releaseDir, switchCurrent } from './releases.js';
import { checkZip } from './unzip.js';

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
    const { revision, signal, onProgress } = input;
    releaseDir(this.dir, revision.name); // refuse unusable names before taking the lock
    const release = await acquireGroupLock(this.dir, {
      group: this.key,
      owner: `pid ${process.pid} deploying ${revision.name}`,
      ...(signal ? { signal } : {}),
      ...(onProgress ? { onProgress } : {}),
    });
    try {
      const record: LocalDeploymentFile = {
        // Made under the lock, so ids (time-sortable) follow the order deployments ran in.
        id: newDeploymentId(),
        executionArn: '',
        group: this.key,
        appName: this.appName,
        name: revision.name,
        ...(revision.rev ? { rev: revision.rev } : {}),
        ...(revision.uname ? { uname: revision.uname } : {}),
        status: 'RUNNING',
        startedAt: new Date().toISOString(),
        hooks: [],
      };
      record.executionArn = localArn(this.key, record.id);
      const previous = await readCurrent(this.dir);
      if (previous) record.previous = previous;
      await writeRecord(this.dir, record);
      onProgress?.(`deploying ${revision.name} to ${this.key} (${record.executionArn})`);
      try {
        await this.install(record, input);
      } catch (err) {
        record.status = isAbortError(err) ? 'ABORTED' : 'FAILED';
        record.error = err instanceof Error ? err.message.split('\n')[0]! : String(err);
        record.finishedAt = new Date().toISOString();
        await writeRecord(this.dir, record);
        // A refused zip or an unreadable appspec is a FAILED deployment, reported
        // like a failing hook; only an interruption propagates.
        if (isAbortError(err)) throw err;
      }
      await pruneReleases(this.dir, this.config.keepReleases, await readCurrent(this.dir));
      return toDeploymentRecord(record);
    } finally {
      await release();
    }
  }

  /** Everything between "RUNNING" and a final record; throws IonflowError on a refused zip. */
  private async install(record: LocalDeploymentFile, input: DeployInput): Promise<void> {
    const { revision, store, signal, onProgress } = input;
    const zip = await store.fetchZip(revision, signal);
    try {
      await checkZip(zip.path); // a refused zip must not even stop the running release
      const env = { deploymentId: record.id, appName: this.appName, group: this.key };
      const save = async () => writeRecord(this.dir, record);
      const hookOptions = {
        ...(signal ? { signal } : {}),
        ...(onProgress ? { onProgress } : {}),
        onRun: async (run: HookRun) => {
          record.hooks.push(run);
          await save();
        },
      };
      const steps: HookStep[] = [];
      if (record.previous) {
        const prevDir = releaseDir(this.dir, record.previous);
        steps.push({ event: 'ApplicationStop', releaseDir: prevDir, release: record.previous, spec: await readAppSpec(prevDir).catch(() => undefined) });
      }
      const stopped = await runHooks(steps, env, hookOptions);
      if (stopped.failure) return this.fail(record, describeFailure(stopped.failure));

      const dir = await installRelease(this.dir, revision.name, zip.path, signal);
      const spec = await readAppSpec(dir);
      const events = ['BeforeInstall', 'AfterInstall', 'ApplicationStart', 'ValidateService'] as const;
      const ran = await runHooks(
        events.map((event) => ({ event, releaseDir: dir, release: revision.name, spec })),
        env,
        hookOptions,
      );
      if (ran.failure) return this.fail(record, describeFailure(ran.failure));

      await switchCurrent(this.dir, revision.name);
      record.status = 'SUCCEEDED';
      record.finishedAt = new Date().toISOString();
      await save();
    } finally {
      await zip.cleanup();
    }
  }

  private async fail(record: LocalDeploymentFile, error: string): Promise<void> {
    record.status = 'FAILED';
    record.error = error;
    record.finishedAt = new Date().toISOString();
    await writeRecord(this.dir, record);
  }

  async status(id: DeploymentId): Promise<DeploymentStatus> {
    const localId = this.localId(id);
    const record = await readRecord(this.dir, localId);
    if (!record) {
      throw new IonflowError('usage', `no deployment ${localId} in group ${this.key}`, {
        hint: `list the group's deployments with: ionflow history ${this.key}`,
      });
    }
    if (record.status === 'RUNNING' && !(await isGroupLocked(this.dir))) {
      // Its deployer died mid-way (kill -9, power loss): nobody will finish it.
      return statusOf({ status: 'ABORTED', error: 'the deploying process ended before the deployment finished' });
    }
    return statusOf(record);
  }

  async history(limit?: number): Promise<DeploymentRecord[]> {
    return (await listRecords(this.dir, limit)).map(toDeploymentRecord);
  }

  /** Full records with hook runs, for `history --json`. */
  records(limit?: number): Promise<LocalDeploymentFile[]> {
    return listRecords(this.dir, limit);
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
