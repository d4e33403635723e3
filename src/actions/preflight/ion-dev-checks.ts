// Preflight for ion-dev apps (SPEC §14): only that the command's first word is
// found, as the shell would find it. No process is started and no AWS call is
// made: ion-dev resolves its own credentials, and each JVM start costs seconds.

import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { MISSING_TOOL_HINT } from '../../backends/ion-dev/ion-dev.js';
import type { AppConfig, IonDevConfig } from '../../model/config.js';
import { type CheckResult, failed, ok } from './results.js';

async function executable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}

/** Where `tool` would be run from: a path as written (relative to the app root), else the first PATH entry holding it. */
export async function findOnPath(tool: string, cwd: string, path = process.env.PATH ?? ''): Promise<string | undefined> {
  if (tool.includes('/')) {
    const full = isAbsolute(tool) ? tool : resolve(cwd, tool);
    return (await executable(full)) ? full : undefined;
  }
  for (const dir of path.split(delimiter)) {
    const full = join(dir === '' ? '.' : dir, tool);
    if (await executable(full)) return full;
  }
  return undefined;
}

export async function checkIonDevCommand(app: AppConfig, ionDev: IonDevConfig): Promise<CheckResult> {
  const tool = ionDev.command[0] ?? 'clojure';
  const subject = `ion-dev of ${app.key}`;
  const found = await findOnPath(tool, app.root);
  return found ? ok(subject, `${tool} is ${found} (ion-dev itself is not started)`) : failed(subject, `${tool} is not on PATH`, MISSING_TOOL_HINT);
}
