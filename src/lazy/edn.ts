// edn-data, loaded with require() for the reason given in ./commander.ts.

import { createRequire } from 'node:module';
import type * as EdnData from 'edn-data';

const require = createRequire(import.meta.url);

export const { parseEDNString, toEDNStringFromSimpleObject } = require('edn-data') as typeof EdnData;
