// Every config that ships or serves as a fixture must validate: the example,
// the good fixtures, and every examples/**/deploy.yaml in the repository.

import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { runCli } from '../support/cli.js';

const ROOT = join(import.meta.dirname, '../..');
const GOOD = join(ROOT, 'test/fixtures/config/good');

function exampleConfigs(): string[] {
  const dir = join(ROOT, 'examples');
  if (!existsSync(dir)) return [];
  return (
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f === 'deploy.yaml' || f.endsWith('/deploy.yaml'))
      // Not the copies in ionflow's own state (a local group's releases), left by running an example.
      .filter((f) => !f.split('/').includes('.ionflow'))
      .map((f) => join('examples', f))
      .sort()
  );
}

const configs = [
  'deploy.yaml.example',
  ...readdirSync(GOOD)
    .sort()
    .map((d) => join('test/fixtures/config/good', d, 'deploy.yaml')),
  ...exampleConfigs(),
];

describe('configs in the repository validate', () => {
  it.each(configs)('%s loads', async (file) => {
    const config = await loadConfig({ config: file, cwd: ROOT });
    expect(config.file).toBe(join(ROOT, file));
    expect(config.dir).toBe(dirname(join(ROOT, file)));
  });

  it('ionflow validate prints ok for deploy.yaml.example', async () => {
    const r = await runCli(['-c', 'deploy.yaml.example', 'validate'], { cwd: ROOT });
    expect(r).toMatchObject({ code: 0, stdout: 'ok\n', stderr: '' });
  });
});
