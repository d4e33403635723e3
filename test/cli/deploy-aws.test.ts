// `ionflow deploy` / `deploy-status` on aws groups end to end: the built
// binary pushes to s3rver, then deploys through the fake Step Functions and
// CodeDeploy endpoint (configured with the standard AWS_ENDPOINT_URL_* variables).
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { type Cli, useAwsHarness } from '../support/aws-harness.js';
import { addStateMachine } from '../support/fake-aws/index.js';

const aws = useAwsHarness({ groups: ['staging-compute'], stateMachines: ['datomic-staging'] });
beforeEach(() => {
  aws.fake.state.defaultDeploymentScript = ['InProgress', 'Succeeded'];
  aws.fake.state.defaultExecutionScript = ['RUNNING', 'SUCCEEDED'];
});

const yaml = () =>
  aws.deployYaml({
    groups: {
      staging: 'deployment-group: staging-compute',
      direct: 'via: codedeploy, deployment-group: staging-compute, rollback: auto',
    },
  });

async function pushed(): Promise<{ cli: Cli; rev: string }> {
  const repo = aws.repo({ 'deploy.yaml': yaml(), 'src/core.clj': '(ns core)', 'id.txt': randomUUID() });
  const cli = aws.cli(repo);
  const push = await cli('push');
  expect(push.code, push.stderr).toBe(0);
  return { cli, rev: repo.head() };
}

describe('ionflow deploy on aws groups', () => {
  it('via step-functions: prints the execution ARN, and deploy-status --wait reports both statuses', async () => {
    const { cli, rev } = await pushed();
    const deployed = await cli('deploy', '--group', 'staging', '--rev', rev);
    expect(deployed.code, deployed.stderr).toBe(0);
    const arn =
      /^\{:execution-arn "(arn:aws:states:us-east-1:123456789012:execution:datomic-staging:[^"]+)" :status-command "ionflow deploy-status --execution-arn \1" :doc "To check the status of your deployment, issue the :status-command\."\}\n$/.exec(
        deployed.stdout,
      )?.[1];
    expect(arn, deployed.stdout).toBeDefined();
    const input = JSON.parse(String(aws.fake.callsOf('StartExecution')[0]!.input.input));
    expect(input).toMatchObject({
      app: 'shop',
      group: 'staging',
      deploymentGroup: 'staging-compute',
      rev,
      bucket: aws.s3.bucket,
      key: `datomic/apps/shop/${rev}.zip`,
    });
    expect(input.eTag).toMatch(/^"?[0-9a-f]{32}"?$/);

    const waited = await cli('deploy-status', '--execution-arn', arn!, '--wait');
    expect([waited.code, waited.stdout]).toEqual([0, '{:deploy-status "SUCCEEDED" :code-deploy-status "SUCCEEDED"}\n']);
  });

  it('via codedeploy: prints the deployment id, and a failed deployment is exit 1 with :error', async () => {
    const { cli, rev } = await pushed();
    aws.fake.state.defaultDeploymentScript = ['Failed'];
    const deployed = await cli(`{:op :deploy :group "direct" :rev "${rev}"}`);
    expect(deployed.code, deployed.stderr).toBe(0);
    const id =
      /^\{:deployment-id "(d-[A-Z0-9]+)" :status-command "ionflow deploy-status --deployment-id \1 --group direct" :doc "To check the status of your deployment, issue the :status-command\."\}\n$/.exec(
        deployed.stdout,
      )?.[1];
    expect(id, deployed.stdout).toBeDefined();
    expect(aws.fake.callsOf('CreateDeployment')[0]!.input.autoRollbackConfiguration).toEqual({ enabled: true, events: ['DEPLOYMENT_FAILURE'] });

    const status = await cli('deploy-status', '--deployment-id', id!, '--group', 'direct');
    expect(status.code).toBe(1);
    expect(status.stdout).toBe(
      '{:deploy-status "FAILED" :code-deploy-status "FAILED" :error "SCRIPT_FAILED: Script at specified location: scripts/validate.sh failed with exit code 1" :failure {:message "SCRIPT_FAILED: Script at specified location: scripts/validate.sh failed with exit code 1"}}\n',
    );
  });

  it('hints at a missing state machine and names the region', async () => {
    const { cli, rev } = await pushed();
    aws.fake.state.stateMachines.clear();
    const res = await cli('deploy', '--group', 'staging', '--rev', rev, '--region', 'eu-west-1');
    addStateMachine(aws.fake.state, 'datomic-staging');
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('error: group staging: no Step Functions state machine named datomic-staging in eu-west-1');
    expect(res.stderr).toMatch(/hint: check groups\.staging\.aws\.state-machine, and the profile's region \(or --region\)/);
  });

  it('via step-functions: a group whose execution still runs is busy, exit 3 with the running ARN', async () => {
    const { cli, rev } = await pushed();
    aws.fake.state.defaultExecutionScript = ['RUNNING', 'RUNNING', 'RUNNING'];
    const first = await cli('deploy', '--group', 'staging', '--rev', rev);
    expect(first.code, first.stderr).toBe(0);
    const arn = /:execution-arn "([^"]+)"/.exec(first.stdout)![1]!;
    const second = await cli('deploy', '--group', 'staging', '--rev', rev);
    // The execution is not left running for later tests.
    aws.fake.state.executions.get(arn)!.status = 'SUCCEEDED';
    expect([second.code, second.stdout]).toEqual([3, '']);
    expect(second.stderr).toContain(`error: group staging is busy: execution ${arn} is still RUNNING`);
    expect(second.stderr).toContain(`hint: wait for it with: ionflow deploy-status --execution-arn ${arn} --wait, then deploy again`);
    expect(aws.fake.callsOf('StartExecution')).toHaveLength(1);
  });

  it('records the deployment in the S3 ledger; status refreshes a RUNNING entry from AWS and changes nothing; history reads the ledger', async () => {
    const { cli, rev } = await pushed();
    aws.fake.state.defaultExecutionScript = ['SUCCEEDED'];
    const deployed = await cli('deploy', '--group', 'staging', '--rev', rev);
    expect(deployed.code, deployed.stderr).toBe(0);
    const arn = /:execution-arn "([^"]+)"/.exec(deployed.stdout)![1]!;
    const name = arn.split(':').pop();
    const ledgerPuts = () => aws.proxy.requests.filter((r) => r.method === 'PUT' && r.url.includes(`/datomic/apps/shop/ledger/staging/${name}.json`));
    expect(ledgerPuts()).toHaveLength(1);

    aws.fake.calls.length = 0;
    const status = await cli('status', '--json');
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toEqual([
      expect.objectContaining({
        group: 'staging',
        rev,
        'deploy-status': 'SUCCEEDED',
        'deployment-id': arn,
        by: expect.stringMatching(/ on /),
        'head-deployed': true,
      }),
      expect.objectContaining({ group: 'direct' }),
    ]);
    const described = () => aws.fake.callsOf('DescribeExecution').filter((c) => c.input.executionArn === arn);
    expect(described()).toHaveLength(1);
    expect(ledgerPuts()).toHaveLength(1);

    // deploy-status sees it end: the record is rewritten SUCCEEDED, and history needs AWS no more.
    expect((await cli('deploy-status', '--execution-arn', arn)).code).toBe(0);
    expect(ledgerPuts()).toHaveLength(2);
    aws.fake.calls.length = 0;
    // (The bucket is shared by this file's tests: earlier deployments are in the ledger too.)
    const history = JSON.parse((await cli('history', 'staging', '--json')).stdout) as Record<string, unknown>[];
    expect(history[0]).toMatchObject({ 'execution-arn': arn, rev, 'deploy-status': 'SUCCEEDED' });
    expect(described()).toHaveLength(0);
  });
});
