// Whether a push is up to date (SPEC §3, §5), decided in one place for the
// two callers that ask: a push itself (run, `ionflow push`) and `plan`, which
// gathers the same facts without changing anything. Plan and run cannot drift
// apart: they differ only in how they learn the facts, not in what follows.

import { isRegistered } from '../../backends/revision-meta.js';
import type { AppConfig } from '../../model/config.js';
import { IonflowError } from '../../model/errors.js';
import type { RevisionMeta } from '../../model/revision.js';

export const DIRTY_MESSAGE = 'You must either specify a uname or push from a clean git commit';

/** A plain push (no --rev, no --uname) refuses a folder with uncommitted changes: the error it stops with. */
export function dirtyError(app: AppConfig, dirty: readonly string[]): IonflowError | undefined {
  if (dirty.length === 0) return undefined;
  return new IonflowError('precondition', DIRTY_MESSAGE, {
    hint: `${dirty.length} uncommitted change(s) in ${app.root} (first: ${dirty[0]!.trim()}); commit them, or push a named working tree with --uname`,
  });
}

/**
 * What a push of a revision does, given what the store holds under its name:
 * - `upload`: nothing stored, or stored with other content;
 * - `upload-again`: the same content is recorded but its zip is missing or changed;
 * - `register`: uploaded by a push whose CodeDeploy registration failed, so only registered now;
 * - `skip`: up to date.
 * `tree` undefined (a uname, whose content only a push reads): undefined when the store holds the name intact.
 */
export type PushDecision = 'upload' | 'upload-again' | 'register' | 'skip';

export async function pushDecision(
  stored: RevisionMeta | undefined,
  tree: string | undefined,
  /** Asked only when it matters: on S3 it is a request. */
  intact: () => Promise<boolean>,
): Promise<PushDecision | undefined> {
  if (!stored) return 'upload';
  if (tree !== undefined && stored.tree !== tree) return 'upload';
  if (!(await intact())) return 'upload-again';
  if (tree === undefined) return undefined;
  return isRegistered(stored) ? 'skip' : 'register';
}
