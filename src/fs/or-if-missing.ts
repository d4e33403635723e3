// Reading what may not exist yet (a group's first deployment, a new ledger):
// ENOENT is an answer, every other error is not.

/** The value of a file-system read, or `fallback` when the file or folder does not exist. */
export async function orIfMissing<T, F>(read: Promise<T>, fallback: F): Promise<T | F> {
  try {
    return await read;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw err;
  }
}
