// `npm run build` prints nothing of its own on success (issue 14 item 10):
// the bundling step (src/lazy/bundle.mjs) calls rolldown through its API,
// not its CLI, which lists every chunk it writes. The step writes relative to
// its working directory, so it runs here in a temporary one (with the
// project's node_modules linked in), leaving dist/ to the other tests.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/repo.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A user's environment: rolldown's logger (consola) goes silent under a test runner, which would hide the chunk lines. */
const userEnv = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(VITEST|TEST$|NODE_ENV$)/.test(k)));

describe('the bundling step of npm run build', () => {
  it('succeeds without printing anything, and writes the bundles', () => {
    const dir = makeTempDir('ionflow-bundle-');
    try {
      symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
      const out = spawnSync(process.execPath, [join(ROOT, 'src/lazy/bundle.mjs')], { cwd: dir, env: userEnv(), encoding: 'utf8', timeout: 60_000 });
      expect(out.status, out.stderr).toBe(0);
      expect(out.stdout).toBe('');
      expect(out.stderr).toBe('');
      // It did bundle (an empty output of a step that did nothing would prove nothing).
      expect(existsSync(join(dir, 'dist/lazy/yaml.bundle.cjs'))).toBe(true);
      expect(readdirSync(join(dir, 'dist/lazy/aws-sdk'))).toContain('client-s3.cjs');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
