// Which deploy.yaml: `-c <file>` (relative to the working folder), else
// deploy.yaml in the working folder or its nearest parent (SPEC §2).

import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { IonflowError } from '../model/errors.js';

export const CONFIG_NAME = 'deploy.yaml';

export interface FoundConfig {
  /** Absolute path. */
  file: string;
  /** The path as the user gave it, or relative to the working folder: used in messages. */
  display: string;
}

export function findConfig(opts: { config?: string | undefined; cwd: string }): FoundConfig {
  if (opts.config !== undefined) {
    const file = resolve(opts.cwd, opts.config);
    if (!existsSync(file)) {
      throw new IonflowError('usage', `config file not found: ${opts.config}`, { hint: 'check the -c/--config path' });
    }
    return { file, display: opts.config };
  }
  let dir = resolve(opts.cwd);
  let display = CONFIG_NAME;
  for (;;) {
    const file = join(dir, CONFIG_NAME);
    if (existsSync(file)) return { file, display };
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
    display = `../${display}`;
  }
  throw new IonflowError('usage', `no deploy.yaml found in ${opts.cwd} or its parents`, {
    hint: 'create one with `ionflow init`, or name one with -c <file>',
  });
}
