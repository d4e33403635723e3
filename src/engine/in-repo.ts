// Git questions asked by `run` and `plan` about the app's repository. When one
// fails because the folder is not in a git repository at all, the user gets
// the one-line precondition error (exit 3) that `push` gives, not git's raw
// "fatal: not a git repository" and exit 1.

import { isAbortError, IonflowError } from '../errors.js';

export async function inRepo<T>(dir: string, ask: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  try {
    return await ask();
  } catch (err) {
    if (isAbortError(err) || (err instanceof IonflowError && err.kind === 'interrupted')) throw err;
    // Only on failure: one more git call, which throws "<dir> is not inside a git repository" when it is not.
    const { locateRepo } = await import('../git/git.js');
    await locateRepo(dir, signal);
    throw err;
  }
}
