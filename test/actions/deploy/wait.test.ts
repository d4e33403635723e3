// `wait` honours its whole timeout: the last look at the deployment happens at
// the deadline, not one poll interval before it.
import { describe, expect, it } from 'vitest';
import type { ComputeGroup } from '../../../src/backends/types.js';
import type { DeploymentStatus } from '../../../src/model/deployment.js';
import { pollStatus } from '../../../src/actions/deploy/wait.js';

const RUNNING: DeploymentStatus = { deployStatus: 'RUNNING', codeDeployStatus: 'RUNNING' };
const SUCCEEDED: DeploymentStatus = { deployStatus: 'SUCCEEDED', codeDeployStatus: 'SUCCEEDED' };

/** An aws-like group whose deployment succeeds `afterMs` after it is created (never when undefined). */
function slowGroup(afterMs?: number): ComputeGroup & { looks: number[] } {
  const started = Date.now();
  const looks: number[] = [];
  return {
    kind: 'aws',
    key: 'staging',
    looks,
    deploy: async () => {
      throw new Error('not in this test');
    },
    status: async () => {
      looks.push(Date.now() - started);
      return afterMs !== undefined && Date.now() - started >= afterMs ? SUCCEEDED : RUNNING;
    },
    history: async () => [],
  };
}

const id = { executionArn: 'arn:aws:states:us-east-1:123456789012:execution:datomic-staging:x' };

describe('pollStatus (wait timeout: 3s, poll: 1s)', () => {
  it('sees a deployment that succeeds at 2.5 s, before the 3 s timeout', async () => {
    const group = slowGroup(2500);
    const outcome = await pollStatus(group, id, { timeoutMs: 3000, pollMs: 1000 });
    expect(outcome).toEqual({ state: 'done', status: SUCCEEDED });
  });

  it('times out only once the 3 s have passed, having looked at the deadline', async () => {
    const group = slowGroup();
    const started = Date.now();
    const outcome = await pollStatus(group, id, { timeoutMs: 3000, pollMs: 1000 });
    expect(outcome).toEqual({ state: 'timeout', status: RUNNING });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2950);
    expect(group.looks.at(-1)).toBeGreaterThanOrEqual(2950);
  });
});
