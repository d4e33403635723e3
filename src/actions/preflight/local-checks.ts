// The local half of preflight (SPEC §14): git is there and each app root is in
// a repository; each local group's folder can be written; HEAD's appspec.yml
// parses and each hook script it names is in HEAD and executable (as git
// records it: mode 100755). Reads only: nothing is created or changed.

import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, posix } from 'node:path';
import { type AppSpec, parseAppSpec } from '../../backends/local/appspec.js';
import type { AppConfig, LocalGroupConfig } from '../../model/config.js';
import type { GitFacts } from '../../git/facts.js';
import { git, locateRepo } from '../../git/git.js';
import { ProcessError } from '../../process.js';
import { type CheckResult, failed, firstLine, ok } from './results.js';

/** Whether `err` (or what caused it) is a git process that ran and exited: git is there. */
function gitRan(err: unknown): boolean {
  for (let e = err; e instanceof Error; e = e.cause) if (e instanceof ProcessError && e.exitCodeOfProcess !== undefined) return true;
  return false;
}

/**
 * git is there. A run has started git already, to locate its app: a process
 * that ran proves it without one more (`git --version` was a process on every
 * run). Only when that one could not start is --version asked, for the same
 * report `ionflow check` gives, which asks it to show the version.
 */
export async function checkGit(started?: Promise<unknown>): Promise<CheckResult> {
  if (started && (await started.then(() => true, gitRan))) return ok('git', 'runs');
  try {
    return ok('git', (await git(process.cwd(), ['--version'])).replace(/^git version /, 'version '));
  } catch (err) {
    return failed('git', `git cannot be run: ${firstLine(err)}`, 'install git and put it on PATH');
  }
}

/** The app root is in a repository; a run's `facts` locate it once for the run, preflight and the first push. */
export async function checkRepo(app: AppConfig, facts?: GitFacts): Promise<CheckResult> {
  const subject = `app ${app.key}`;
  try {
    const { top } = await (facts ? facts.locate(app.root) : locateRepo(app.root));
    return ok(subject, `${app.root} is in the git repository ${top}`);
  } catch (err) {
    return failed(subject, firstLine(err), `run \`git init\` in ${app.root} (or set apps.${app.key}.root) and commit the app`);
  }
}

/** The nearest folder that exists, from `dir` up. */
async function nearestExisting(dir: string): Promise<string> {
  for (let d = dir; ; d = dirname(d)) {
    try {
      await stat(d);
      return d;
    } catch {
      if (dirname(d) === d) return d;
    }
  }
}

export async function checkLocalGroup(group: LocalGroupConfig): Promise<CheckResult> {
  const subject = `group ${group.key} (${group.dir})`;
  const existing = await nearestExisting(group.dir);
  const info = await stat(existing).catch(() => undefined);
  if (!info?.isDirectory()) {
    return failed(subject, `${existing} is not a folder`, `set groups.${group.key}.local to a folder path`);
  }
  try {
    await access(existing, constants.W_OK | constants.X_OK);
  } catch {
    const what = existing === group.dir ? 'the folder' : `${existing} (where it would be made)`;
    return failed(subject, `${what} cannot be written`, `chmod u+w ${existing}, or set groups.${group.key}.local to a writable folder`);
  }
  return ok(subject, existing === group.dir ? 'writable' : `can be made in ${existing}`);
}

/** HEAD's appspec.yml of the app root, parsed; undefined when HEAD has none. */
async function headAppSpec(root: string): Promise<AppSpec | undefined> {
  let text: string;
  try {
    text = await git(root, ['show', 'HEAD:./appspec.yml']);
  } catch {
    return undefined;
  }
  return parseAppSpec(text);
}

/** The hook scripts of HEAD's appspec.yml: each in HEAD, each executable. */
export async function checkHookScripts(app: AppConfig, groups: string[]): Promise<CheckResult> {
  const subject = `appspec.yml of ${app.key} (group${groups.length > 1 ? 's' : ''} ${groups.join(', ')})`;
  let spec: AppSpec | undefined;
  try {
    spec = await headAppSpec(app.root);
  } catch (err) {
    return failed(subject, `HEAD’s ${firstLine(err)}`, 'fix appspec.yml and commit it');
  }
  if (!spec) return ok(subject, 'none in HEAD: no hooks run');
  const scripts = Object.entries(spec.hooks).flatMap(([event, list]) => (list ?? []).map((s) => ({ event, location: s.location })));
  if (scripts.length === 0) return ok(subject, 'no hooks');
  // ls-tree in the app root takes and prints paths relative to it, as appspec.yml names them.
  const rel = (location: string) => posix.normalize(location).replace(/^(\.\/|\/)+/, '');
  const listing = await git(app.root, ['ls-tree', '-z', 'HEAD', '--', ...scripts.map((s) => rel(s.location))]).catch(() => '');
  const modes = new Map<string, string>();
  for (const entry of listing.split('\0').filter(Boolean)) {
    const [meta = '', path = ''] = entry.split('\t');
    modes.set(path, meta.split(' ')[0] ?? '');
  }
  for (const { event, location } of scripts) {
    const mode = modes.get(rel(location));
    if (mode === undefined) {
      return failed(subject, `${event} script ${location} is not in HEAD`, `commit ${location} (git add ${location}), or fix its location in appspec.yml`);
    }
    if (mode !== '100755') {
      return failed(subject, `${event} script ${location} is not executable in HEAD`, `git update-index --chmod=+x ${location} && git commit`);
    }
  }
  return ok(subject, `${scripts.length} hook script${scripts.length === 1 ? '' : 's'} in HEAD, executable`);
}
