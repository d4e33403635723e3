// tar-stream (and streamx, b4a, fast-fifo under it), from a one-file bundle
// with its code cache (./code-cache.ts); without one (under vitest) with
// require(), for the reason given in ./commander.ts: the first ESM import of a
// CommonJS package in a process starts the export scanner.

import { createRequire } from 'node:module';
import type * as TarStream from 'tar-stream';
import { bundleOr } from './code-cache.js';

export const { extract } = bundleOr<typeof TarStream>(new URL('./tar-stream.bundle.cjs', import.meta.url), () => createRequire(import.meta.url)('tar-stream'));
export type { Headers } from 'tar-stream';
