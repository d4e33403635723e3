// The yaml package, loaded from a one-file bundle that `npm run build` makes
// (dist/lazy/yaml.bundle.cjs, by rolldown). yaml ships some 70 modules;
// reading and compiling them one by one cost ~40 ms of every command's
// startup, the bundle ~12 ms. Where there is no bundle (the TypeScript
// sources under vitest), the package itself is loaded: same code, same API.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function load(): typeof import('yaml') {
  try {
    return require('./yaml.bundle.cjs') as typeof import('yaml');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw err;
    return require('yaml') as typeof import('yaml');
  }
}

export const { isAlias, isCollection, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, parse } = load();
export type { Document, Node, Pair, YAMLMap } from 'yaml';
