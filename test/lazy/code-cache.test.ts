// The built CLI is loaded from bundles with V8 code caches the build trained
// (src/lazy/code-cache.ts, src/lazy/train-cache.mjs): each cache is used, a
// cache that does not fit is not, and the bundles hold no import() (which a
// script compiled from a cache cannot run on Node 20).

import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { registry, requireBundle } from '../../src/lazy/code-cache.js';
import { makeTempDir } from '../support/repo.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LAZY = join(ROOT, 'dist/lazy');
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Runs `code` (an ES module) in a node of its own, in the repository's root; its stdout parsed as JSON. */
function inNode(code: string, env: NodeJS.ProcessEnv = {}): unknown {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  return JSON.parse(out);
}

describe('the code caches of the bundles', () => {
  it('are used for every bundle a command loads', () => {
    const uses = inNode(`
      const { requireBundle, registry } = await import('./dist/lazy/code-cache.js');
      const { Writable } = await import('node:stream');
      const { main } = requireBundle(${JSON.stringify(join(LAZY, 'ionflow.cjs'))});
      const sink = new Writable({ write: (_c, _e, done) => done() });
      const code = await main(['plan', 'dev'], { cwd: 'examples/sample-ion', stdout: sink, stderr: sink, signal: new AbortController().signal });
      console.log(JSON.stringify({ code, uses: Object.fromEntries(registry().cache) }));
    `) as { code: number; uses: Record<string, string> };
    expect(uses.code).toBe(0);
    const names = Object.keys(uses.uses).map((p) => p.slice(LAZY.length + 1));
    expect(names).toEqual(expect.arrayContaining(['ionflow.cjs', 'yaml.bundle.cjs', 'commander.bundle.cjs']));
    expect(names.some((n) => /^ionflow-plan-/.test(n))).toBe(true);
    expect(Object.entries(uses.uses).filter(([, use]) => use !== 'used')).toEqual([]);
  });

  it('are not used for other bytes, nor when V8 rejects them, and the bundle loads all the same', () => {
    dir = makeTempDir('ionflow-cache-');
    const bundle = join(dir, 'yaml.bundle.cjs');
    copyFileSync(join(LAZY, 'yaml.bundle.cjs'), bundle);
    // commander's cache beside yaml's bundle: its first 20 bytes are the SHA-1 of other bytes.
    copyFileSync(join(LAZY, 'commander.bundle.cjs.v8cache'), `${bundle}.v8cache`);
    const yaml = requireBundle(bundle) as typeof import('yaml');
    expect(yaml.parse('a: [1, 2]')).toEqual({ a: [1, 2] });
    expect(registry().cache.get(bundle)).toBe('rejected');

    // The right SHA-1, then bytes that are no V8 cache: V8 rejects them.
    const other = join(dir, 'commander.bundle.cjs');
    copyFileSync(join(LAZY, 'commander.bundle.cjs'), other);
    const hash = readFileSync(join(LAZY, 'commander.bundle.cjs.v8cache')).subarray(0, 20);
    writeFileSync(`${other}.v8cache`, Buffer.concat([hash, Buffer.from('not a code cache')]));
    expect(typeof (requireBundle(other) as typeof import('commander')).Command).toBe('function');
    expect(registry().cache.get(other)).toBe('rejected');
  });

  it('are written by a training run, and used by the next process', () => {
    dir = makeTempDir('ionflow-cache-');
    const bundle = join(dir, 'yaml.bundle.cjs');
    copyFileSync(join(LAZY, 'yaml.bundle.cjs'), bundle);
    const load = `
      const { requireBundle, registry, writeTrainedCaches } = await import('./dist/lazy/code-cache.js');
      requireBundle(${JSON.stringify(bundle)}).parse('a: 1');
      writeTrainedCaches();
      console.log(JSON.stringify(registry().cache.get(${JSON.stringify(bundle)})));`;
    expect(inNode(load)).toBe('none');
    expect(readdirSync(dir)).toEqual(['yaml.bundle.cjs']); // only a training run writes
    expect(inNode(load, { IONFLOW_CODE_CACHE_TRAIN: '1' })).toBe('none');
    expect(readdirSync(dir).sort()).toEqual(['yaml.bundle.cjs', 'yaml.bundle.cjs.v8cache']);
    expect(inNode(load)).toBe('used');
  });

  it('hold no import() in any bundle', () => {
    const bundles = readdirSync(LAZY, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.cjs'));
    expect(bundles.length).toBeGreaterThan(10);
    expect(bundles.filter((f) => /\bimport\(/.test(readFileSync(join(LAZY, f), 'utf8')))).toEqual([]);
  });
});
