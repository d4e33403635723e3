// Loads the CommonJS bundles `npm run build` makes in dist/lazy/ (the CLI
// itself, yaml, commander, the AWS SDK) with a V8 code cache beside each one
// (<bundle>.v8cache), so a command does not parse and compile the same
// JavaScript on every start. Node 22 can do this for every module
// (module.enableCompileCache); Node 20, which ionflow supports, cannot, so
// this file does it for the bundles, through node:vm.
//
// The caches are written by the build (./train-cache.mjs runs commands with
// IONFLOW_CODE_CACHE_TRAIN=1, then takes each bundle's cache, with the
// functions those commands compiled): never while a user's command runs,
// and nowhere but dist/. A cache made for other bytes (the SHA-1 of its
// bundle is its first 20 bytes), another Node or other V8 flags is not used:
// this file rejects the first, V8 the others, and the bundle is compiled as
// if there were no cache. Only the time differs.

import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const HASH_BYTES = 20;

/** What happened to a bundle's cache: used, rejected (by this file or V8), or there was none. */
export type CacheUse = 'used' | 'rejected' | 'none';

/**
 * The bundles this process loaded, by path. One registry a process, on
 * globalThis, because this file is loaded twice: by bin/ionflow.js from dist/,
 * and inside the CLI's bundle. Tests and the load recorder read it too.
 */
export interface Registry {
  exports: Map<string, unknown>;
  cache: Map<string, CacheUse>;
  training: { path: string; hash: Buffer; script: Script }[];
}
export const REGISTRY_KEY = Symbol.for('ionflow.code-cache');
export function registry(): Registry {
  const holder = globalThis as { [REGISTRY_KEY]?: Registry };
  holder[REGISTRY_KEY] ??= { exports: new Map(), cache: new Map(), training: [] };
  return holder[REGISTRY_KEY];
}

/** The cache for this source, or undefined if there is none; `false` if it was made for other bytes. */
function readCache(path: string, hash: Buffer): Buffer | false | undefined {
  let data: Buffer;
  try {
    data = readFileSync(`${path}.v8cache`);
  } catch {
    return undefined;
  }
  return data.subarray(0, HASH_BYTES).equals(hash) ? data.subarray(HASH_BYTES) : false;
}

/**
 * require() for one bundle file: its module.exports. The bundle's own
 * `require('./<chunk>.cjs')` calls come back here, so its chunks get their
 * caches too; anything else (node: built-ins, packages) goes to Node's require.
 */
export function requireBundle(file: string | URL): unknown {
  const path = typeof file === 'string' ? file : fileURLToPath(file);
  const { exports: done, cache, training } = registry();
  if (done.has(path)) return done.get(path);
  const source = readFileSync(path, 'utf8');
  const hash = createHash('sha1').update(source).digest();
  const cachedData = readCache(path, hash);
  const script = new Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n})`, {
    filename: path,
    cachedData: cachedData || undefined,
    // No import() callback: on Node 20 a script compiled from a cache loses it, so the build turns every
    // import() in a bundle into require() (dynamicImportInCjs in ./rolldown.config.mjs).
  });
  cache.set(path, cachedData === undefined ? 'none' : cachedData === false || script.cachedDataRejected ? 'rejected' : 'used');
  const module = { exports: {} as unknown };
  done.set(path, module.exports); // chunks that require each other in a circle see the exports so far, as with require()
  const nodeRequire = createRequire(path);
  const bundleRequire = Object.assign((id: string) => (id.startsWith('./') && id.endsWith('.cjs') ? requireBundle(join(dirname(path), id)) : nodeRequire(id)), {
    resolve: nodeRequire.resolve,
    cache: nodeRequire.cache,
  });
  (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, bundleRequire, module, path, dirname(path));
  done.set(path, module.exports);
  if (process.env.IONFLOW_CODE_CACHE_TRAIN === '1') training.push({ path, hash, script });
  return module.exports;
}

/** The bundle at `url` if the build made it, else `fallback()`: the package itself, as under vitest. */
export function bundleOr<T>(url: URL, fallback: () => unknown): T {
  const path = fileURLToPath(url);
  try {
    return requireBundle(path) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || (err as NodeJS.ErrnoException).path !== path) throw err;
    return fallback() as T;
  }
}

/** At the end of a training run: each bundle's cache, with what it compiled while the run went on. */
export function writeTrainedCaches(): void {
  for (const { path, hash, script } of registry().training) {
    const temp = `${path}.v8cache.${process.pid}.tmp`;
    writeFileSync(temp, Buffer.concat([hash, script.createCachedData()]));
    renameSync(temp, `${path}.v8cache`);
  }
}
