// tar-stream, loaded with require() for the reason given in ./commander.ts:
// the first ESM import of a CommonJS package in a process starts the export
// scanner, and a push imports no other.

import { createRequire } from 'node:module';
import type * as TarStream from 'tar-stream';

const require = createRequire(import.meta.url);

export const { extract } = require('tar-stream') as typeof TarStream;
export type { Headers } from 'tar-stream';
