// commander, loaded with require(). An ESM `import` of a CommonJS package
// also scans its source for export names (cjs-module-lexer, which the first
// such import in a process has to start up); require() does not. About 10 ms
// less on every command's startup (`ionflow validate`, timed side by side on
// a 2-core machine).

import { createRequire } from 'node:module';
import type * as Commander from '@commander-js/extra-typings';

const require = createRequire(import.meta.url);

export const { Command, CommanderError, InvalidArgumentError, Option } =
  require('@commander-js/extra-typings') as typeof Commander;
/** The typed command of extra-typings: its arguments, its options, and the options of its parents. */
export type Command<
  Args extends unknown[] = [],
  Opts extends Commander.OptionValues = Record<never, never>,
  GlobalOpts extends Commander.OptionValues = Record<never, never>,
> = Commander.Command<Args, Opts, GlobalOpts>;
