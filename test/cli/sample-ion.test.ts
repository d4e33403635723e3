// The sample app of examples/ as a user meets it: a sub-folder of a larger
// repository, pushed and deployed to its local dev group by the built binary.
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { makeRepo, type TempRepo } from '../support/repo.js';

const SAMPLE = fileURLToPath(new URL('../../examples/sample-ion', import.meta.url));
let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

it('validates, runs the dev pipeline, and its hooks leave the service running the new release', async () => {
  repo = makeRepo({ 'README.md': 'a larger repository\n' });
  const app = join(repo.dir, 'examples', 'sample-ion');
  cpSync(SAMPLE, app, { recursive: true, filter: (src) => !src.includes('.ionflow') });
  const rev1 = repo.commit('add the sample');
  const cli = (...args: string[]) => runCli(args, { cwd: app, env: repo!.env });

  expect((await cli('validate')).stdout).toBe('ok\n');
  const run = await cli('run', 'dev', '--output', 'plain');
  expect(run.code, run.stderr).toBe(0);
  const status = await cli('deploy-status', '--group', 'dev');
  expect(status.stdout).toBe('{:deploy-status "SUCCEEDED" :code-deploy-status "SUCCEEDED"}\n');
  const service = () => readFileSync(join(app, '.ionflow/groups/dev/service.txt'), 'utf8');
  expect(service()).toMatch(new RegExp(`^running ${rev1} since `));
  // The store and the group live under the sample's ignored .ionflow/: the tree stays clean.
  expect(repo.git('status', '--porcelain')).toBe('');

  repo.write({ 'examples/sample-ion/src/sample/items.clj': `${readFileSync(join(app, 'src/sample/items.clj'), 'utf8')}\n;; v2\n` });
  const rev2 = repo.commit('v2');
  expect((await cli('run', 'dev', '--output', 'plain')).code).toBe(0);
  expect(service()).toMatch(new RegExp(`^running ${rev2} since `));
  const [latest] = JSON.parse((await cli('history', 'dev', '--json')).stdout) as { hooks: { event: string; 'output-tail': string }[] }[];
  expect(latest!.hooks.map((h) => h['output-tail'])).toEqual([
    `ApplicationStop: stopped release ${rev1}`,
    expect.stringMatching(new RegExp(`^BeforeInstall: sample-ion to group dev, deployment d-.*, release ${rev2}$`)),
    expect.stringMatching(new RegExp(`^AfterInstall: sample-ion to group dev, deployment d-.*, release ${rev2}$`)),
    `ApplicationStart: started sample-ion release ${rev2}`,
    `ValidateService: ok, ${rev2} is running`,
  ]);
});
