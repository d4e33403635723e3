// SPEC §13 on the local back end, through the built CLI: a hook that fails
// names its event, script, exit code and log tail in run output (plain and
// jsonl), the EDN deploy-status map and history --json.
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appRepo, events } from '../support/app-repo.js';
import { runCli } from '../support/cli.js';
import type { TempRepo } from '../support/repo.js';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

const APPSPEC = 'version: 0.0\nos: linux\nhooks:\n  ValidateService:\n    - location: scripts/validate.sh\n      timeout: 5\n';
// 25 lines of output, the last 20 of which make the tail.
const VALIDATE = '#!/bin/sh\ni=1\nwhile [ $i -le 25 ]; do echo "check line $i"; i=$((i+1)); done\necho "health check failed on port 8080" >&2\nexit 3\n';

function failingRepo(): TempRepo {
  const r = appRepo(undefined, ['dev'], { 'appspec.yml': APPSPEC, 'scripts/validate.sh': VALIDATE });
  chmodSync(join(r.dir, 'scripts/validate.sh'), 0o755);
  r.commit('executable hook');
  return r;
}

describe('a FAILED local deployment says where and why', () => {
  it('in jsonl step-end, plain output, deploy-status EDN and history --json', async () => {
    repo = failingRepo();
    const cli = (...args: string[]) => runCli(args, { cwd: repo!.dir, env: repo!.env });

    const jsonl = await cli('run', 'dev', '--output', 'jsonl');
    expect(jsonl.code).toBe(1);
    const end = events(jsonl.stdout).find((e) => e.type === 'step-end' && e.status === 'failed') as unknown as Record<string, unknown>;
    expect(end).toMatchObject({ step: 'deploy-dev', failure: { event: 'ValidateService', target: 'dev', script: 'scripts/validate.sh', 'exit-code': 3 } });
    const failure = end.failure as Record<string, string>;
    const tail = failure['log-tail']!.split('\n');
    expect(tail).toHaveLength(20);
    expect(tail.at(-1)).toBe('health check failed on port 8080');
    expect(tail[0]).toBe('check line 7');
    expect(failure.message).toBe('ValidateService hook scripts/validate.sh exited with 3: health check failed on port 8080');

    const plain = await cli('run', 'dev', '--output', 'plain', '--force');
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/^ +│ ValidateService scripts\/validate\.sh on dev: exit code 3$/m);
    expect(plain.stderr).toMatch(/^ +│ health check failed on port 8080$/m);

    const status = await cli('deploy-status', '--group', 'dev');
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(
      /^\{:deploy-status "FAILED" :code-deploy-status "FAILED" :error "ValidateService hook scripts\/validate\.sh exited with 3: health check failed on port 8080" :failure \{:event "ValidateService" :target "dev" :script "scripts\/validate\.sh" :exit-code 3 :message "[^"]+" :log-tail "check line 7\\ncheck line 8\\n/,
    );
    // The terminal shows the tail under the error line, indented.
    expect(status.stderr).toMatch(/^error: the deployment FAILED: .*\n {2}ValidateService scripts\/validate\.sh on dev: exit code 3\n {2}│ check line 7\n/m);

    const history = JSON.parse((await cli('history', 'dev', '--json')).stdout) as Record<string, unknown>[];
    expect(history[0]).toMatchObject({ 'deploy-status': 'FAILED', failure: { event: 'ValidateService', script: 'scripts/validate.sh', 'exit-code': 3 } });
    expect((history[0]!.failure as Record<string, string>)['log-tail']).toBe(failure['log-tail']);
  });
});
