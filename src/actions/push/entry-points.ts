// The ion-config.edn entry points stored with each revision (SPEC §4, §5),
// read from the content being pushed: for a commit, the file as committed
// (not the working tree's copy); for a uname, the working tree's file.

import { relative } from 'node:path';
import type { EntryPoints } from '../../model/revision.js';
import { problemsError } from '../../model/problem.js';
import type { AppConfig } from '../../model/config.js';
import { git } from '../../git/git.js';
import { checkIonConfig, readIonConfig } from '../../ion/ion-config.js';
import { ProcessError } from '../../process.js';

export async function readEntryPoints(
  app: AppConfig,
  content: { top: string; tree: string } | 'working-tree',
  signal?: AbortSignal,
): Promise<EntryPoints | null> {
  const rel = relative(app.root, app.ionConfig);
  if (content === 'working-tree' || rel.startsWith('..')) {
    return (await readIonConfig(app.ionConfig))?.entryPoints ?? null;
  }
  let text: string;
  try {
    text = await git(content.top, ['cat-file', 'blob', `${content.tree}:${rel}`], { signal });
  } catch (err) {
    if (err instanceof ProcessError && err.kind !== 'interrupted') return null; // not in this revision
    throw err;
  }
  const display = `${rel} (at ${content.tree.slice(0, 12)})`;
  const { config, problems } = checkIonConfig(text, app.ionConfig, display);
  if (problems.length || !config) throw problemsError(problems, display);
  return config.entryPoints;
}

/** One progress line naming what the revision exposes (SPEC §4: shown by push). */
export function describeEntryPoints(entryPoints: EntryPoints | null): string {
  if (!entryPoints) return 'entry points: none (no ion-config.edn)';
  const parts: string[] = [];
  const lambdas = Object.entries(entryPoints.lambdas ?? {});
  if (lambdas.length > 0) parts.push(`lambdas ${lambdas.map(([name, l]) => `${name} → ${l.fn}`).join(', ')}`);
  if (entryPoints.httpDirect) parts.push(`http-direct ${entryPoints.httpDirect.handlerFn}`);
  if (entryPoints.allow?.length) parts.push(`allow ${entryPoints.allow.join(', ')}`);
  return `entry points: ${parts.length > 0 ? parts.join('; ') : 'none declared'}`;
}
