// edn-data, from a one-file bundle with its code cache (./code-cache.ts), or
// without one (under vitest) with require(), for the reason given in ./commander.ts.

import { createRequire } from 'node:module';
import type * as EdnData from 'edn-data';
import { bundleOr } from './code-cache.js';

export const { parseEDNString, toEDNStringFromSimpleObject } = bundleOr<typeof EdnData>(new URL('./edn-data.bundle.cjs', import.meta.url), () =>
  createRequire(import.meta.url)('edn-data'),
);
