import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../../src/backends/aws/clients.js';
import { AwsComputeGroup } from '../../../src/backends/aws/group.js';
import type { RevisionMeta } from '../../../src/model/revision.js';
import type { AppConfig, AwsGroupConfig, DeployConfig, ProfileConfig } from '../../../src/model/config.js';
import { isDeployedAlready } from '../../../src/actions/deploy/deploy.js';
import { pollStatus, waitForDeployment } from '../../../src/actions/deploy/wait.js';
import { IonflowError } from '../../../src/model/errors.js';
import { failure, zipStore } from '../../support/deploy-fixtures.js';
import { FAKE_AWS_CREDENTIALS, addApplication, addStateMachine, createFakeAwsState, type FakeAws, startFakeAwsEndpoint } from '../../support/fake-aws/index.js';

const SHA = '0f3c'.padEnd(40, 'a');
let fake: FakeAws;
let profile: ProfileConfig;

const app: AppConfig = { key: 'shop', root: '/tmp', ionConfig: '/tmp/x.edn', name: 'shop', store: { kind: 's3', bucket: 'b', prefix: 'datomic/apps/' } };
const meta: RevisionMeta = {
  name: SHA,
  rev: SHA,
  appName: 'shop',
  sha256: '',
  size: 1,
  fileCount: 1,
  pushedAt: '2026-01-01T00:00:00Z',
  tree: '',
  entryPoints: null,
  location: `s3://code-bucket/datomic/apps/shop/${SHA}.zip`,
  s3: { bucket: 'code-bucket', key: `datomic/apps/shop/${SHA}.zip`, eTag: '"abc123"' },
};

function groupConfig(extra: Partial<AwsGroupConfig> = {}): AwsGroupConfig {
  return {
    kind: 'aws',
    key: 'staging',
    app: 'shop',
    keepReleases: 5,
    via: 'step-functions',
    stateMachine: 'datomic-staging',
    deploymentGroup: 'shop-staging',
    ...extra,
  };
}
const makeGroup = (extra: Partial<AwsGroupConfig> = {}) => new AwsComputeGroup(groupConfig(extra), app, createAwsClients(profile, {}));
const deploy = (g: AwsComputeGroup) => g.deploy({ revision: meta, store: zipStore });

function deployConfig(extra: Partial<AwsGroupConfig> = {}): DeployConfig {
  return {
    version: 1,
    file: '/tmp/deploy.yaml',
    dir: '/tmp',
    profiles: { test: profile },
    apps: { shop: app },
    groups: { staging: { ...groupConfig(extra), profile: 'test' } },
    pipelines: {},
  };
}

beforeAll(async () => {
  Object.assign(process.env, FAKE_AWS_CREDENTIALS);
  fake = await startFakeAwsEndpoint(createFakeAwsState());
  profile = { key: 'test', region: 'us-east-1', endpoints: { codedeploy: fake.url, sfn: fake.url } };
});
afterAll(() => fake.close());
beforeEach(() => {
  delete fake.state.oneDeploymentAtATime;
  delete fake.state.executionsDeploy;
  Object.assign(fake.state, createFakeAwsState());
  addApplication(fake.state, 'shop', ['shop-staging']);
  addStateMachine(fake.state, 'datomic-staging');
  addStateMachine(fake.state, 'datomic-prod');
  fake.clearFaults();
  fake.calls.length = 0;
});

describe('aws group, via step-functions', () => {
  it('resolves the state machine by name and starts an execution with the revision as input', async () => {
    const record = await deploy(makeGroup());
    expect(fake.callsOf('ListStateMachines')).toHaveLength(1);
    const [start] = fake.callsOf('StartExecution');
    expect(start!.input.stateMachineArn).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:datomic-staging');
    expect(JSON.parse(String(start!.input.input))).toEqual({
      app: 'shop',
      group: 'staging',
      deploymentGroup: 'shop-staging',
      rev: SHA,
      bucket: 'code-bucket',
      key: `datomic/apps/shop/${SHA}.zip`,
      eTag: '"abc123"',
    });
    expect(record.id).toEqual({ executionArn: expect.stringMatching(/^arn:aws:states:us-east-1:123456789012:execution:datomic-staging:/) });
  });

  it('uses a state machine ARN as is, and reports the execution plus its CodeDeploy deployment', async () => {
    const arn = 'arn:aws:states:us-east-1:123456789012:stateMachine:datomic-prod';
    const group = makeGroup({ stateMachine: arn });
    const { id } = await deploy(group);
    expect(fake.callsOf('ListStateMachines')).toHaveLength(0);
    expect(fake.callsOf('StartExecution')[0]!.input.stateMachineArn).toBe(arn);
    // Execution script RUNNING → SUCCEEDED; deployment script InProgress → Succeeded.
    expect(await group.status(id)).toEqual({ deployStatus: 'RUNNING', codeDeployStatus: 'RUNNING' });
    expect(await group.status(id)).toEqual({ deployStatus: 'SUCCEEDED', codeDeployStatus: 'SUCCEEDED' });
    const list = fake.callsOf('ListDeployments')[0]!.input;
    expect(list).toMatchObject({ applicationName: 'shop', deploymentGroupName: 'shop-staging' });
    expect((list.createTimeRange as { start: number }).start).toBeGreaterThan(Date.now() / 1000 - 60);
  });

  it('surfaces a FAILED execution with its error and cause', async () => {
    fake.state.defaultExecutionScript = ['FAILED'];
    fake.state.defaultDeploymentScript = ['Failed'];
    const group = makeGroup();
    const { id } = await deploy(group);
    const execution = [...fake.state.executions.values()][0]!;
    execution.error = 'States.TaskFailed';
    execution.cause = '{"errorMessage": "CodeDeploy deployment d-123 failed: ValidateService"}';
    const status = await group.status(id);
    expect(status).toEqual({
      deployStatus: 'FAILED',
      codeDeployStatus: 'FAILED',
      error: 'States.TaskFailed: {"errorMessage": "CodeDeploy deployment d-123 failed: ValidateService"}',
      // SPEC §13: the failed state (GetExecutionHistory) and what CodeDeploy said of its deployment.
      failure: { state: 'Deploy', message: 'SCRIPT_FAILED: Script at specified location: scripts/validate.sh failed with exit code 1' },
    });
    const err = await waitForDeployment(deployConfig(), 'staging', id, { timeoutMs: 5000, pollMs: 10 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IonflowError);
    expect((err as IonflowError).kind).toBe('stepFailed');
    expect((err as Error).message).toContain('FAILED: States.TaskFailed: {"errorMessage": "CodeDeploy deployment d-123 failed');
  });

  it('retries throttled calls through the SDK, so two throttles still start the execution', async () => {
    fake.fault({ match: 'sfn.StartExecution', code: 'ThrottlingException', times: 2 });
    const record = await deploy(makeGroup());
    expect(fake.callsOf('StartExecution')).toHaveLength(3);
    expect(fake.state.executions.size).toBe(1);
    expect('executionArn' in record.id).toBe(true);
  });

  it('reports a group whose execution is still RUNNING as busy (exit 3) instead of starting a second', async () => {
    fake.state.defaultExecutionScript = ['RUNNING', 'RUNNING', 'RUNNING'];
    const first = await deploy(makeGroup());
    const arn = 'executionArn' in first.id ? first.id.executionArn : '';
    const busy = await failure(deploy(makeGroup()));
    expect([busy.kind, busy.exitCode]).toEqual(['precondition', 3]);
    expect(busy.message).toBe(`group staging is busy: execution ${arn} is still RUNNING`);
    expect(busy.hint).toBe(`wait for it with: ionflow deploy-status --execution-arn ${arn} --wait, then deploy again`);
    expect(fake.callsOf('StartExecution')).toHaveLength(1);
    expect(fake.callsOf('ListExecutions')[0]!.input).toMatchObject({
      stateMachineArn: expect.stringContaining(':stateMachine:datomic-staging'),
      statusFilter: 'RUNNING',
    });

    // Another group's execution on the same state machine does not block this one.
    fake.state.executionsDeploy = false;
    const other = await deploy(makeGroup({ key: 'prod', deploymentGroup: 'shop-prod' }));
    expect(other.id).not.toEqual(first.id);

    // Once the execution has ended, the group deploys again.
    fake.state.executions.get(arn)!.status = 'SUCCEEDED';
    fake.state.executions.get(arn)!.script = [];
    await deploy(makeGroup());
    expect(fake.callsOf('StartExecution')).toHaveLength(3);
  });

  it('says which state machine is missing and points at the region', async () => {
    const err = await deploy(makeGroup({ stateMachine: 'datomic-nope' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IonflowError);
    expect((err as IonflowError).message).toBe('group staging: no Step Functions state machine named datomic-nope in us-east-1');
    expect((err as IonflowError).hint).toMatch(/region.*datomic-staging, datomic-prod/);
    expect(fake.callsOf('StartExecution')).toHaveLength(0);
  });
});

describe('aws group, via codedeploy', () => {
  it('creates the deployment of the registered S3 revision, with automatic rollback when asked', async () => {
    const plain = await deploy(makeGroup({ via: 'codedeploy' }));
    await deploy(makeGroup({ via: 'codedeploy', rollback: 'auto' }));
    const [first, second] = fake.callsOf('CreateDeployment');
    expect(first!.input).toEqual({
      applicationName: 'shop',
      deploymentGroupName: 'shop-staging',
      revision: { revisionType: 'S3', s3Location: { bucket: 'code-bucket', key: `datomic/apps/shop/${SHA}.zip`, eTag: '"abc123"', bundleType: 'zip' } },
      description: `ionflow: rev ${SHA}`,
    });
    expect(second!.input.autoRollbackConfiguration).toEqual({ enabled: true, events: ['DEPLOYMENT_FAILURE'] });
    expect(plain.id).toEqual({ deploymentId: expect.stringMatching(/^d-/) });
    expect(fake.callsOf('StartExecution')).toHaveLength(0);
  });

  it.each([
    ['Created', 'RUNNING', 'RUNNING'],
    ['Queued', 'RUNNING', 'RUNNING'],
    ['InProgress', 'RUNNING', 'RUNNING'],
    ['Baking', 'RUNNING', 'RUNNING'],
    ['Ready', 'RUNNING', 'RUNNING'],
    ['Succeeded', 'SUCCEEDED', 'SUCCEEDED'],
    ['Failed', 'FAILED', 'FAILED'],
    ['Stopped', 'ABORTED', 'STOPPED'],
  ])('maps CodeDeploy %s to deploy-status %s, code-deploy-status %s', async (cd, deployStatus, codeDeployStatus) => {
    fake.state.defaultDeploymentScript = [cd];
    const group = makeGroup({ via: 'codedeploy' });
    const { id } = await deploy(group);
    const status = await group.status(id);
    expect([status.deployStatus, status.codeDeployStatus]).toEqual([deployStatus, codeDeployStatus]);
    if (cd === 'Failed') expect(status.error).toMatch(/^SCRIPT_FAILED: Script at specified location/);
    else expect(status.error).toBeUndefined();
  });

  it('hints at a missing deployment group, and reports a busy group as exit 3', async () => {
    const missing = await failure(deploy(makeGroup({ via: 'codedeploy', deploymentGroup: 'nope' })));
    expect(missing.message).toMatch(/^CreateDeployment to shop\/nope: DeploymentGroupDoesNotExistException/);
    expect(missing.hint).toMatch(/deployment-group and the region/);
    fake.state.oneDeploymentAtATime = true;
    await deploy(makeGroup({ via: 'codedeploy' }));
    const busy = await failure(deploy(makeGroup({ via: 'codedeploy' })));
    expect([busy.kind, busy.exitCode]).toEqual(['precondition', 3]);
    expect(busy.message).toMatch(/group staging is busy/);
  });

  it('lists history newest first with the revision names from the S3 keys', async () => {
    fake.state.defaultDeploymentScript = ['Succeeded'];
    const group = makeGroup({ via: 'codedeploy' });
    const first = await deploy(group);
    await new Promise((r) => setTimeout(r, 5));
    const second = await group.deploy({
      revision: { ...meta, name: 'my-uname', rev: undefined, uname: 'my-uname', s3: { ...meta.s3!, key: 'datomic/apps/shop/my-uname.zip' } },
      store: zipStore,
    });
    const history = await group.history();
    expect(history.map((h) => [h.id, h.name, h.rev, h.uname, h.status.deployStatus])).toEqual([
      [second.id, 'my-uname', undefined, 'my-uname', 'SUCCEEDED'],
      [first.id, SHA, SHA, undefined, 'SUCCEEDED'],
    ]);
  });

  it('takes a uname as already deployed only when the S3 object deployed is the one in the store (eTag)', async () => {
    fake.state.defaultDeploymentScript = ['Succeeded'];
    const uname = (eTag: string): RevisionMeta => ({
      ...meta,
      name: 'my-uname',
      rev: undefined,
      uname: 'my-uname',
      s3: { bucket: 'code-bucket', key: 'datomic/apps/shop/my-uname.zip', eTag },
    });
    const config = deployConfig({ via: 'codedeploy' });
    await makeGroup({ via: 'codedeploy' }).deploy({ revision: uname('"e-first"'), store: zipStore });
    expect(await isDeployedAlready(config, 'staging', uname('e-first'))).toMatchObject({ name: 'my-uname', content: { eTag: 'e-first' } });
    // Pushed again with new content: same key, new eTag; not up to date.
    expect(await isDeployedAlready(config, 'staging', uname('e-second'))).toBeUndefined();
  });

  it('waits with back-off until SUCCEEDED, and times out as exit 4', async () => {
    fake.state.defaultDeploymentScript = ['Queued', 'InProgress', 'InProgress', 'Succeeded'];
    const group = makeGroup({ via: 'codedeploy' });
    const { id } = await deploy(group);
    const seen: string[] = [];
    const outcome = await pollStatus(group, id, { timeoutMs: 10_000, pollMs: 20, onProgress: (m) => seen.push(m) });
    expect(outcome).toEqual({ state: 'done', status: { deployStatus: 'SUCCEEDED', codeDeployStatus: 'SUCCEEDED' } });
    expect(seen).toEqual(['staging: RUNNING (CodeDeploy RUNNING)', 'staging: SUCCEEDED (CodeDeploy SUCCEEDED)']);

    fake.state.defaultDeploymentScript = Array(500).fill('InProgress');
    const slow = await deploy(group);
    const err = await failure(waitForDeployment(deployConfig({ via: 'codedeploy' }), 'staging', slow.id, { timeoutMs: 300, pollMs: 50 }));
    expect([err.kind, err.exitCode]).toEqual(['timeout', 4]);
    expect(err.message).toMatch(/did not reach SUCCEEDED within 300ms \(last: RUNNING\)/);
    expect(err.hint).toBe(
      `check it later with: ionflow deploy-status --deployment-id ${'deploymentId' in slow.id ? slow.id.deploymentId : ''} --group staging`,
    );
  });
});

describe('aws group, list calls of several pages', () => {
  it('follows the pages to the state machine and to a running execution of the group', async () => {
    fake.state.listPageSize = 1;
    fake.state.executionsDeploy = false;
    fake.state.defaultExecutionScript = ['RUNNING', 'RUNNING', 'RUNNING'];
    // datomic-staging listed last, on the second page.
    const staging = addStateMachine(fake.state, 'datomic-staging');
    fake.state.stateMachines.delete(staging);
    addStateMachine(fake.state, 'datomic-staging');
    const first = await deploy(makeGroup());
    expect(fake.callsOf('ListStateMachines')).toHaveLength(2);
    // A newer execution of another group lists first: the group's own is on the second page.
    await deploy(makeGroup({ key: 'prod', deploymentGroup: 'shop-prod' }));
    const busy = await failure(deploy(makeGroup()));
    expect([busy.kind, busy.message]).toEqual([
      'precondition',
      `group staging is busy: execution ${'executionArn' in first.id ? first.id.executionArn : ''} is still RUNNING`,
    ]);
    expect(fake.callsOf('ListExecutions').at(-1)!.input.nextToken).toBe('1');
  });

  it('reads history over every page, and asks for no page past the limit', async () => {
    fake.state.listPageSize = 1;
    fake.state.defaultDeploymentScript = ['Succeeded'];
    const group = makeGroup({ via: 'codedeploy' });
    for (let i = 0; i < 3; i++) {
      await deploy(group);
      await new Promise((r) => setTimeout(r, 5));
    }
    fake.calls.length = 0;
    expect(await group.history()).toHaveLength(3);
    expect(fake.callsOf('ListDeployments')).toHaveLength(3);
    fake.calls.length = 0;
    expect(await group.history(2)).toHaveLength(2);
    expect(fake.callsOf('ListDeployments')).toHaveLength(2);
  });
});
