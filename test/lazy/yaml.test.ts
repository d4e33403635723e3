import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('the yaml bundle', () => {
  it('is what the built CLI loads, not the 70 modules of the package', () => {
    // npm test builds first; dist/lazy/yaml.js must find the bundle beside it.
    const script = `
      const y = await import('./dist/lazy/yaml.js');
      const { createRequire } = await import('node:module');
      const cache = Object.keys(createRequire(import.meta.url).cache);
      const bundles = [...globalThis[Symbol.for('ionflow.code-cache')].exports.keys()];
      console.log(JSON.stringify({
        bundle: bundles.some((p) => p.endsWith('/dist/lazy/yaml.bundle.cjs')),
        pkg: cache.some((p) => p.includes('/node_modules/yaml/')),
        parsed: y.parse('a: [1, 2]'),
      }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ bundle: true, pkg: false, parsed: { a: [1, 2] } });
  });
});
