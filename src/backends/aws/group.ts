// An aws compute group (SPEC §6): a CodeDeploy deployment group, deployed
// through a Step Functions execution (default, Datomic style) or a CodeDeploy
// deployment directly. deploy() returns once AWS accepted the deployment.

import type { AppConfig, AwsGroupConfig } from '../../model/config.js';
import { IonflowError } from '../../model/errors.js';
import type { ComputeGroup, DeployInput } from '../types.js';
import {
  type DeploymentFailure,
  type DeploymentId,
  type DeploymentRecord,
  type DeploymentStatus,
  isFailed,
  isFailedDeployStatus,
} from '../../model/deployment.js';
import type { AwsClients } from './clients.js';
import {
  type CodeDeployTarget,
  createDeployment,
  deploymentError,
  getDeployment,
  getDeployments,
  listDeploymentIds,
  s3RevisionOf,
  toRecord,
} from './codedeploy-group.js';
import { codeDeployFailure, executionFailure } from './diagnostics.js';
import { codeDeployWord, codeDeployWordWithout, executionWord, oneLine } from './status.js';
import { describeExecution, parseExecutionInput, resolveStateMachine, runningExecutionFor, startExecution } from './step-functions.js';

export class AwsComputeGroup implements ComputeGroup {
  readonly kind = 'aws' as const;
  readonly key: string;
  private readonly target: CodeDeployTarget;

  constructor(
    private readonly config: AwsGroupConfig,
    private readonly app: AppConfig,
    private readonly clients: AwsClients,
  ) {
    this.key = config.key;
    this.target = { applicationName: app.name, deploymentGroupName: config.deploymentGroup, groupKey: config.key };
  }

  get via() {
    return this.config.via;
  }

  async deploy(input: DeployInput): Promise<DeploymentRecord> {
    const { revision: meta, signal, onProgress } = input;
    const base = {
      group: this.key,
      appName: this.app.name,
      name: meta.name,
      ...(meta.rev ? { rev: meta.rev } : { uname: meta.uname }),
      status: { deployStatus: 'RUNNING', codeDeployStatus: 'RUNNING' } as DeploymentStatus,
    };
    if (this.config.via === 'codedeploy') {
      const cd = await this.clients.codedeploy();
      onProgress?.(`CreateDeployment ${this.app.name}/${this.config.deploymentGroup}`);
      const deploymentId = await createDeployment(cd, this.target, meta, {
        ...(this.config.rollback ? { rollback: this.config.rollback } : {}),
        ...(signal ? { signal } : {}),
      });
      return { ...base, id: { deploymentId }, startedAt: new Date().toISOString() };
    }
    const s3 = s3RevisionOf(meta, this.key);
    const sfn = await this.clients.sfn();
    const arn = await resolveStateMachine(sfn, this.config.stateMachine, this.key, signal);
    // One deployment per group at a time (SPEC §3): report the one in flight rather than start a second.
    const running = await runningExecutionFor(sfn, arn, { group: this.key, deploymentGroup: this.config.deploymentGroup }, signal);
    if (running) {
      throw new IonflowError('precondition', `group ${this.key} is busy: execution ${running} is still RUNNING`, {
        hint: `wait for it with: ionflow deploy-status --execution-arn ${running} --wait, then deploy again`,
      });
    }
    onProgress?.(`StartExecution ${arn}`);
    const { executionArn, startDate } = await startExecution(
      sfn,
      arn,
      {
        app: this.app.name,
        group: this.key,
        deploymentGroup: this.config.deploymentGroup,
        ...(meta.rev ? { rev: meta.rev } : { uname: meta.uname! }),
        bucket: s3.bucket,
        key: s3.key,
        eTag: s3.eTag,
      },
      signal,
    );
    return { ...base, id: { executionArn }, startedAt: startDate.toISOString() };
  }

  async status(id: DeploymentId): Promise<DeploymentStatus> {
    const cd = await this.clients.codedeploy();
    if ('deploymentId' in id) {
      const info = await getDeployment(cd, id.deploymentId);
      const error = deploymentError(info);
      const failed = cdFailed(info.status);
      return {
        deployStatus: toRecord(info, this.key).status.deployStatus,
        codeDeployStatus: codeDeployWord(info.status),
        ...(error && codeDeployWord(info.status) !== 'SUCCEEDED' ? { error } : {}),
        ...(failed ? { failure: await codeDeployFailure(cd, info) } : {}),
      };
    }
    const sfn = await this.clients.sfn();
    const execution = await describeExecution(sfn, id.executionArn);
    const deployStatus = executionWord(execution.status);
    // The execution's own input names the deployment group it drives.
    const input = parseExecutionInput(execution.input);
    const target: CodeDeployTarget = {
      ...this.target,
      ...(input?.app ? { applicationName: input.app } : {}),
      ...(input?.deploymentGroup ? { deploymentGroupName: input.deploymentGroup } : {}),
    };
    // A second of slack: CodeDeploy compares creation times at second precision.
    const since = new Date((execution.startDate?.getTime() ?? 1000) - 1000);
    const ids = await listDeploymentIds(cd, target, { since });
    const [newest] = await getDeployments(cd, ids);
    const codeDeployStatus = newest ? codeDeployWord(newest.status) : codeDeployWordWithout(deployStatus);
    const executionError = [execution.error, execution.cause].filter(Boolean).join(': ');
    const error = executionError ? oneLine(executionError) : newest ? deploymentError(newest) : undefined;
    const failed = isFailedDeployStatus(deployStatus);
    const anyFailed = isFailed({ deployStatus, codeDeployStatus });
    // SPEC §13: the failed state, plus the CodeDeploy detail of the deployment the execution made.
    const [state, detail] = anyFailed
      ? await Promise.all([
          failed ? executionFailure(sfn, id.executionArn) : undefined,
          newest && cdFailed(newest.status) ? codeDeployFailure(cd, newest) : undefined,
        ])
      : [];
    const stateError = state && [state.error, state.cause].filter(Boolean).join(': ');
    const failure: DeploymentFailure | undefined = anyFailed
      ? {
          ...(state?.state ? { state: state.state } : {}),
          ...detail,
          message: detail?.message ?? oneLine(stateError || error || `execution ${deployStatus}`),
        }
      : undefined;
    return {
      deployStatus,
      codeDeployStatus,
      ...(error && anyFailed ? { error } : {}),
      ...(failure ? { failure } : {}),
    };
  }

  async history(limit = 20): Promise<DeploymentRecord[]> {
    const cd = await this.clients.codedeploy();
    const ids = await listDeploymentIds(cd, this.target, { limit });
    return (await getDeployments(cd, ids)).map((info) => toRecord(info, this.key));
  }
}

const cdFailed = (status: string | undefined) => status === 'Failed' || status === 'Stopped';
