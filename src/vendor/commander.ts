// commander, loaded with require(). An ESM `import` of a CommonJS package
// first scans its source for exports (cjs-module-lexer), and the first such
// import in a process also starts that scanner: ~15 ms of every command's
// startup, measured with `npm run bench -- validate`. require() does neither.

import { createRequire } from 'node:module';
import type * as Commander from '@commander-js/extra-typings';

const require = createRequire(import.meta.url);

export const { Command, CommanderError, InvalidArgumentError, Option } =
  require('@commander-js/extra-typings') as typeof Commander;
export type Command = Commander.Command;
