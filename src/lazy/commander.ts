// commander, loaded with require(). An ESM `import` of a CommonJS package
// also scans its source for export names (cjs-module-lexer, which the first
// such import in a process has to start up); require() does not. About 10 ms
// less on every command's startup (`ionflow validate`, timed side by side on
// a 2-core machine). And from a one-file minified bundle that `npm run build`
// makes (dist/lazy/commander.bundle.cjs): commander's seven files cost ~16 ms
// to load, the bundle ~10 ms. Without a bundle (the TypeScript sources under
// vitest), the package itself: same code, same API.

import { createRequire } from 'node:module';
import type * as Commander from '@commander-js/extra-typings';
import { bundleOr } from './code-cache.js';

const load = () =>
  bundleOr<typeof Commander>(new URL('./commander.bundle.cjs', import.meta.url), () => createRequire(import.meta.url)('@commander-js/extra-typings'));

export const { Command, CommanderError, InvalidArgumentError, Option } = load();
/** The typed command of extra-typings: its arguments, its options, and the options of its parents. */
export type Command<
  Args extends unknown[] = [],
  Opts extends Commander.OptionValues = Record<never, never>,
  GlobalOpts extends Commander.OptionValues = Record<never, never>,
> = Commander.Command<Args, Opts, GlobalOpts>;
