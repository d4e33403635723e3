// SPEC §17: every AWS call honours Ctrl-C at once and has timeouts. The fake
// Step Functions endpoint holds its answers for a minute, or s3rver's proxy
// never answers at all; the built binary must exit 130 within a couple of
// seconds of SIGINT or SIGTERM, and a silent endpoint must end in an error.
import type { ChildProcess } from 'node:child_process';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useAwsHarness } from '../support/aws-harness.js';
import { runCli } from '../support/cli.js';
import { addStateMachine } from '../support/fake-aws/index.js';
import type { TempRepo } from '../support/repo.js';

const aws = useAwsHarness({ groups: ['staging-compute'] });
let repo: TempRepo | undefined;
let arn: string;
beforeAll(() => {
  const machine = addStateMachine(aws.fake.state, 'datomic-staging');
  arn = `${machine.replace(':stateMachine:', ':execution:')}:forever`;
});
beforeEach(() => {
  // An execution that never ends: only a signal or a timeout stops a wait on it.
  aws.fake.state.executions.set(arn, {
    executionArn: arn,
    stateMachineArn: arn.replace(':execution:', ':stateMachine:').replace(/:forever$/, ''),
    name: 'forever',
    input: '{}',
    status: 'RUNNING',
    script: [],
    startDate: Date.now(),
  });
});
afterEach(() => {
  repo = undefined;
});

function cli(args: string[], extraEnv: Record<string, string> = {}, onSpawn?: (child: ChildProcess) => void) {
  // No profile: the environment's endpoints.
  repo ??= aws.repo({
    'deploy.yaml': aws.deployYaml({ profile: false, groups: { staging: 'deployment-group: staging-compute' } }),
    'src/core.clj': '(ns core)',
  });
  return runCli(args, { cwd: repo.dir, env: aws.cliEnv(repo, extraEnv), timeoutMs: 30_000, ...(onSpawn ? { onSpawn } : {}) });
}

/** Send `signal` once `ready()` holds (the call is in flight); resolve how long the exit took after it. */
function interruptWhen(ready: () => boolean, signal: NodeJS.Signals) {
  let sentAt = 0;
  const onSpawn = (child: ChildProcess) => {
    const timer = setInterval(() => {
      if (!ready()) return;
      clearInterval(timer);
      // A moment for the request to be on the wire and waiting.
      setTimeout(() => {
        sentAt = Date.now();
        child.kill(signal);
      }, 200);
    }, 20);
    child.on('close', () => clearInterval(timer));
  };
  return { onSpawn, elapsed: () => Date.now() - sentAt, sent: () => sentAt > 0 };
}

describe('AWS calls under hostile endpoints', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} during deploy-status --wait on a status that takes a minute: exit 130 at once`, async () => {
      aws.fake.fault({ match: 'sfn.DescribeExecution', delayMs: 60_000 });
      const stop = interruptWhen(() => aws.fake.callsOf('DescribeExecution').length >= 1, signal);
      const res = await cli(['deploy-status', '--execution-arn', arn, '--wait'], {}, stop.onSpawn);
      const took = stop.elapsed();
      expect(stop.sent(), res.stderr).toBe(true);
      expect(res.code, res.stderr).toBe(130);
      expect(took).toBeLessThan(2500);
      expect(res.stderr).toContain('error: interrupted');
    });
  }

  it('SIGTERM during a push whose S3 endpoint never answers: exit 130 at once', async () => {
    aws.proxy.setRule(() => ({ hang: true }));
    const stop = interruptWhen(() => aws.proxy.requests.length > 0, 'SIGTERM');
    aws.proxy.requests.length = 0;
    const res = await cli(['push'], {}, stop.onSpawn);
    expect(stop.sent(), res.stderr).toBe(true);
    expect(res.code, res.stderr).toBe(130);
    expect(stop.elapsed()).toBeLessThan(2500);
  });

  it('a silent endpoint is an error after the socket timeout, not a hang', async () => {
    aws.fake.fault({ match: 'sfn.DescribeExecution', delayMs: 60_000 });
    const started = Date.now();
    // IONFLOW_AWS_TIMEOUT_MS shortens the 30 s idle timeout to keep the test fast.
    const res = await cli(['deploy-status', '--execution-arn', arn], { IONFLOW_AWS_TIMEOUT_MS: '300' });
    expect(res.code, res.stderr).toBe(1);
    expect(res.stderr).toMatch(/^error: DescribeExecution .*timed out after 300 ms/m);
    expect(res.stderr).toContain('hint: the AWS endpoint could not be reached');
    // The SDK tried 3 times, each cut short by the timeout.
    expect(aws.fake.callsOf('DescribeExecution')).toHaveLength(3);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
