// Run journals and --resume through the fake AWS (SPEC §12): a run
// interrupted while it waits on a Step Functions deployment says how to
// resume; the resume takes the deployment over (never a second
// StartExecution), also when it has finished since; a succeeded run says so.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { events } from '../support/app-repo.js';
import { useAwsHarness } from '../support/aws-harness.js';
import { type CliResult, runCli } from '../support/cli.js';

const aws = useAwsHarness({ groups: ['staging'], stateMachines: ['datomic-staging'] });

function setup() {
  const yaml = aws.deployYaml({
    prefix: `${randomUUID()}/`,
    pipelines: { ship: ['push: shop', 'deploy: staging', 'wait: { group: staging, timeout: 30s, poll: 1s }'] },
  });
  const repo = aws.repo({ 'deploy.yaml': yaml, '.gitignore': '.ionflow/\n', 'src/core.clj': '(ns core)' });
  const env = aws.cliEnv(repo);
  const cli = aws.cli(repo);
  aws.fake.state.defaultExecutionScript = Array(200).fill('RUNNING');
  // Ctrl-C once the run waits on its deployment.
  const interrupted = (): Promise<CliResult> =>
    runCli(['run', 'ship', '--output', 'jsonl'], {
      cwd: repo.dir,
      env,
      onSpawn: (child) => {
        let seen = '';
        let sent = false;
        child.stdout?.on('data', (d: Buffer) => {
          seen += d.toString();
          if (!sent && seen.includes('"step":"wait-staging"')) {
            sent = true;
            child.kill('SIGINT');
          }
        });
      },
    });
  return { cli, interrupted };
}

const execution = () => [...aws.fake.state.executions.values()].at(-1)!;

describe('ionflow run --resume (aws)', () => {
  it('an interrupted wait ends with the resume command; --resume follows the same deployment to SUCCEEDED', async () => {
    const { cli, interrupted } = setup();
    const first = await interrupted();
    expect(first.code, first.stderr).toBe(130);
    const runEnd = events(first.stdout).find((e) => e.type === 'run-end') as unknown as Record<string, string>;
    expect(runEnd).toMatchObject({ status: 'interrupted', resume: `ionflow run ship --resume ${runEnd.run}` });
    expect(first.stderr.trimEnd().split('\n').at(-1)).toBe(`resume: ionflow run ship --resume ${runEnd.run}`);
    expect(aws.fake.callsOf('StartExecution')).toHaveLength(1);

    execution().script = ['RUNNING', 'SUCCEEDED'];
    const resumed = await cli('run', 'ship', '--resume', '--output', 'jsonl');
    expect(resumed.code, resumed.stderr).toBe(0);
    const ends = events(resumed.stdout).filter((e) => e.type === 'step-end') as unknown as Record<string, string>[];
    expect(ends.map((e) => [e.step, e.status])).toEqual([
      ['push-shop', 'skipped'],
      ['deploy-staging', 'skipped'],
      ['wait-staging', 'succeeded'],
    ]);
    expect(ends[0]!.detail).toBe(`skipped (done in run ${runEnd.run})`);
    expect(ends[1]!.detail).toContain(`deployment ${execution().executionArn} is RUNNING`);
    expect(aws.fake.callsOf('StartExecution')).toHaveLength(1);
  });

  it('resumes after the deployment finished on its own, and a resumed run that succeeded has nothing to resume', async () => {
    const { cli, interrupted } = setup();
    const first = await interrupted();
    expect(first.code, first.stderr).toBe(130);
    const run = (events(first.stdout).find((e) => e.type === 'run-end') as unknown as { run: string }).run;
    Object.assign(execution(), { status: 'SUCCEEDED', script: [], stopDate: Date.now() });

    const resumed = await cli('run', 'ship', '--resume', run, '--output', 'jsonl');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(aws.fake.callsOf('StartExecution')).toHaveLength(1);
    const again = events(resumed.stdout).find((e) => e.type === 'run-end') as unknown as { run: string; status: string };
    expect(again.status).toBe('succeeded');

    const done = await cli('run', 'ship', '--resume', again.run);
    expect([done.code, done.stderr.trim()]).toEqual([0, `run ${again.run} of pipeline ship succeeded; nothing to resume`]);
    const runs = JSON.parse((await cli('runs', '--json')).stdout) as { id: string; status: string }[];
    expect(runs.map((r) => [r.id, r.status])).toEqual([
      [again.run, 'succeeded'],
      [run, 'interrupted'],
    ]);
    expect(aws.fake.callsOf('StartExecution')).toHaveLength(1);
  });
});
