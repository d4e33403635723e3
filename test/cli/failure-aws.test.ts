// SPEC §13 on the aws back end, through the built CLI against the fake AWS
// endpoint: a FAILED CodeDeploy deployment names its first failed target, the
// failed lifecycle event and its diagnostics (ListDeploymentTargets, falling
// back to ListDeploymentInstances); a failed Step Functions execution adds the
// failed state. Shown in run output (plain, jsonl), deploy-status and history.
import { describe, expect, it } from 'vitest';
import { events } from '../support/app-repo.js';
import { useAwsHarness } from '../support/aws-harness.js';
import { startFakeDeployment } from '../support/fake-aws/codedeploy-deployments.js';
import { failedTarget } from '../support/fake-aws/codedeploy-targets.js';
import type { FakeTarget } from '../support/fake-aws/index.js';

const aws = useAwsHarness({ groups: ['staging'], stateMachines: ['datomic-staging'] });

const LOG = Array.from({ length: 30 }, (_, i) => `[stdout] line ${i + 1}`).join('\n');
const target = (): FakeTarget =>
  failedTarget('i-0abc123', 'ValidateService', {
    scriptName: 'scripts/validate.sh',
    message: 'Script at specified location: scripts/validate.sh run as user root failed with exit code 3',
    logTail: LOG,
  });

/** A repo whose staging group deploys via `via`, with a pipeline ship of `steps`, and the CLI in it. */
function cliFor(via: string, steps: string[]) {
  const yaml = aws.deployYaml({ groups: { staging: `via: ${via}` }, pipelines: { ship: steps } });
  return aws.cli(aws.repo({ '.gitignore': '.ionflow/\n' /* run journals */, 'deploy.yaml': yaml }));
}

const EXPECTED = { event: 'ValidateService', target: 'i-0abc123', script: 'scripts/validate.sh', 'exit-code': 3 };
const tailOf = (failure: unknown) => String((failure as Record<string, string>)['log-tail']).split('\n');

describe('a FAILED aws deployment says where and why', () => {
  it('via codedeploy: the first failed target’s lifecycle event, in run output, deploy-status and history', async () => {
    const state = aws.fake.state;
    state.defaultDeploymentScript = ['InProgress', 'Failed'];
    state.defaultTargets = [{ id: 'i-0ok', status: 'Succeeded', lifecycleEvents: [] }, target()];
    try {
      const cli = cliFor('codedeploy', ['push: shop', 'deploy: staging', 'wait: { group: staging, timeout: 10s, poll: 1s }']);

      const jsonl = await cli('run', 'ship', '--output', 'jsonl');
      expect(jsonl.code, jsonl.stderr).toBe(1);
      const end = events(jsonl.stdout).find((e) => e.type === 'step-end' && e.status === 'failed') as unknown as Record<string, unknown>;
      expect(end).toMatchObject({
        step: 'wait-staging',
        failure: { ...EXPECTED, message: 'Script at specified location: scripts/validate.sh run as user root failed with exit code 3' },
      });
      expect(tailOf(end.failure)).toEqual(LOG.split('\n').slice(-20));
      const d = [...state.deployments.values()].at(-1)!;
      expect(aws.fake.callsOf('ListDeploymentTargets')[0]!.input).toMatchObject({ deploymentId: d.id, targetFilters: { TargetStatus: ['Failed'] } });

      const plain = await cli('run', 'ship', '--output', 'plain');
      expect(plain.stderr).toMatch(/│ ValidateService scripts\/validate\.sh on i-0abc123: exit code 3\n.*│ \[stdout\] line 11\n/);

      const status = await cli('deploy-status', '--deployment-id', d.id, '--group', 'staging');
      expect(status.code).toBe(1);
      expect(status.stdout).toContain(
        ':error "SCRIPT_FAILED: Script at specified location: scripts/validate.sh failed with exit code 1" :failure {:event "ValidateService" :target "i-0abc123" :script "scripts/validate.sh" :exit-code 3 :message ',
      );
      expect(status.stderr).toMatch(
        /^error: the deployment FAILED: SCRIPT_FAILED.*\n {2}ValidateService scripts\/validate\.sh on i-0abc123: exit code 3\n {2}│ \[stdout\] line 11\n/m,
      );

      const history = JSON.parse((await cli('history', 'staging', '--json')).stdout) as Record<string, unknown>[];
      expect(history.length).toBeGreaterThanOrEqual(2);
      for (const h of history) expect(h).toMatchObject({ 'deploy-status': 'FAILED', failure: EXPECTED });
    } finally {
      state.defaultDeploymentScript = ['InProgress', 'Succeeded'];
      delete state.defaultTargets;
    }
  });

  it('via codedeploy: falls back to ListDeploymentInstances where targets are not available', async () => {
    const cli = cliFor('codedeploy', ['wait: staging']);
    const d = startFakeDeployment(
      aws.fake.state,
      'shop',
      'staging',
      { bucket: 'b', key: 'datomic/apps/shop/x.zip', bundleType: 'zip' },
      {
        status: 'Failed',
        script: [],
        targets: [target()],
      },
    );
    aws.fake.fault({ match: 'codedeploy.ListDeploymentTargets', code: 'UnknownOperationException' });
    const status = await cli('deploy-status', '--deployment-id', d.id, '--group', 'staging', '--json');
    expect(status.code).toBe(1);
    expect(JSON.parse(status.stdout).failure).toMatchObject(EXPECTED);
    expect(aws.fake.callsOf('BatchGetDeploymentInstances')).toHaveLength(1);
  });

  it('via step-functions: the failed state and the CodeDeploy detail of its deployment, through push, deploy and wait', async () => {
    const state = aws.fake.state;
    state.defaultExecutionScript = ['RUNNING', 'FAILED'];
    state.defaultDeploymentScript = ['InProgress', 'Failed'];
    state.defaultTargets = [target()];
    state.defaultExecutionFailure = { error: 'States.TaskFailed', cause: 'CodeDeploy deployment failed', state: 'WaitForDeployment' };
    try {
      const cli = cliFor('step-functions', ['push: shop', 'deploy: staging', 'wait: { group: staging, timeout: 10s, poll: 1s }']);
      const jsonl = await cli('run', 'ship', '--output', 'jsonl');
      expect(jsonl.code, jsonl.stderr).toBe(1);
      const end = events(jsonl.stdout).find((e) => e.type === 'step-end' && e.status === 'failed') as unknown as Record<string, unknown>;
      expect(end).toMatchObject({ step: 'wait-staging', failure: { state: 'WaitForDeployment', ...EXPECTED } });
      expect(tailOf(end.failure).at(-1)).toBe('[stdout] line 30');
      expect(aws.fake.callsOf('GetExecutionHistory').length).toBeGreaterThan(0);

      const arn = String(aws.fake.callsOf('StartExecution').length && [...state.executions.keys()].at(-1));
      const status = await cli('deploy-status', '--execution-arn', arn);
      expect(status.code).toBe(1);
      expect(status.stdout).toMatch(
        /^\{:deploy-status "FAILED" :code-deploy-status "FAILED" :error "States\.TaskFailed: CodeDeploy deployment failed" :failure \{:state "WaitForDeployment" :event "ValidateService" :target "i-0abc123" :script "scripts\/validate\.sh" :exit-code 3 /,
      );
      expect(status.stderr).toMatch(
        /\n {2}state WaitForDeployment ValidateService scripts\/validate\.sh on i-0abc123: exit code 3\n {2}│ \[stdout\] line 11\n/,
      );

      const history = JSON.parse((await cli('history', 'staging', '--json')).stdout) as Record<string, unknown>[];
      expect(history[0]).toMatchObject({ 'execution-arn': arn, 'deploy-status': 'FAILED', failure: { state: 'WaitForDeployment', ...EXPECTED } });
    } finally {
      Object.assign(state, { defaultExecutionScript: ['RUNNING', 'SUCCEEDED'], defaultDeploymentScript: ['InProgress', 'Succeeded'] });
      delete state.defaultTargets;
      delete state.defaultExecutionFailure;
    }
  });
});
