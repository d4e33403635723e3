// The yaml package, loaded from a one-file bundle that `npm run build` makes
// (dist/lazy/yaml.bundle.cjs, by rolldown). yaml ships some 70 modules;
// reading and compiling them one by one cost ~40 ms of every command's
// startup, the bundle ~12 ms, and with its code cache (./code-cache.ts) ~5 ms. Where there is no bundle (the TypeScript
// sources under vitest), the package itself is loaded: same code, same API.

import { createRequire } from 'node:module';
import { bundleOr } from './code-cache.js';

const load = () => bundleOr<typeof import('yaml')>(new URL('./yaml.bundle.cjs', import.meta.url), () => createRequire(import.meta.url)('yaml'));

export const { isAlias, isCollection, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, parse } = load();
export type { Document, Node, Pair, YAMLMap } from 'yaml';
