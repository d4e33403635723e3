// Names that become path segments or S3 keys (SPEC §17): app names (deploy.yaml
// `name`, ion-config.edn `:app-name`), unames and the keys of deploy.yaml.
// `name: ../../../elsewhere/x` made push write outside the store, and on S3
// into another bucket of s3rver; such names are refused where they are
// written, and the stores refuse them again before building a path or key.

import { usageError } from './errors.js';

const NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
/** Unames are file names: long ones are refused before the file system does it half-way. */
export const MAX_UNAME = 128;

export const NAME_RULE = "letters, digits, '.', '_' and '-', starting with a letter, digit or '_', with no '..'";

export const isSafeName = (name: string): boolean => NAME.test(name) && !name.includes('..');

/** A uname from the command line or an EDN op: exit 2 stating the rule. */
export function checkUname(uname: string | undefined, flag = '--uname'): void {
  if (uname === undefined) return;
  if (!isSafeName(uname) || uname.length > MAX_UNAME) {
    throw usageError(`${flag} ${JSON.stringify(uname)} is not a valid name: use ${NAME_RULE} (at most ${MAX_UNAME})`);
  }
}

/** --rev and --uname name a revision two ways: one of them at most, and the uname a valid name (exit 2). */
export function checkRevisionFlags(flags: { rev?: string; uname?: string }): void {
  if (flags.rev && flags.uname) throw usageError('give --rev or --uname, not both');
  checkUname(flags.uname);
}

/** The last check before a name becomes a path segment or an S3 key. */
export function assertSafeName(name: string, what: string): void {
  if (!isSafeName(name)) throw usageError(`${what} ${JSON.stringify(name)} is not a valid name: use ${NAME_RULE}`);
}
