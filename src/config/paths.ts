// Where deploy.yaml's paths may lead (SPEC §17). `ion-config` and `root` stay
// inside the repository (the git repository holding deploy.yaml, else
// deploy.yaml's folder): `ion-config: /proc/self/environ` printed the whole
// environment in a code frame. Store and group folders stay inside
// deploy.yaml's folder unless written absolute, and a group folder is never
// `/`, the repository (or a folder holding it), a store, or another group's
// folder: ionflow prunes releases in it and switches its `current` link.

import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { appPaths, DEFAULTS } from './normalise.js';
import type { Problem } from '../model/problem.js';
import { isRecord } from './steps.js';
import type { PathSegment, YamlSource } from './yaml-source.js';

/** The git repository holding `dir` (a `.git` folder or file), else `dir` itself. */
export function repositoryOf(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return dir;
  }
}

/** `path` is `base` or inside it. */
export function isWithin(base: string, path: string): boolean {
  const rel = relative(base, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** Links are followed where the path exists: a link inside the repository may point anywhere. */
const real = (path: string): string => {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
};

export interface PathCheck {
  problems: Problem[];
  /** Apps whose ion-config.edn lies outside the repository: it is not read at all. */
  outside: Set<string>;
}

export function pathProblems(src: YamlSource, dir: string): PathCheck {
  const root = src.value;
  const problems: Problem[] = [];
  const outside = new Set<string>();
  if (!isRecord(root)) return { problems, outside };
  const at = (path: PathSegment[], message: string) => problems.push(src.at(path, message));
  const repo = repositoryOf(dir);
  const realRepo = real(repo);
  const shown = (p: string) => JSON.stringify(p);
  const inRepo = (path: string) => isWithin(repo, path) && isWithin(realRepo, real(path));

  const apps = isRecord(root.apps) ? root.apps : {};
  const stores = new Map<string, string>(); // folder → the first app storing there
  for (const [key, app] of Object.entries(apps)) {
    if (!isRecord(app)) continue;
    const paths = appPaths(dir, app);
    const rootOutside = typeof app.root === 'string' && !inRepo(paths.root);
    if (rootOutside) at(['apps', key, 'root'], `root ${shown(String(app.root))} leads outside the repository (${repo}); write a folder inside it`);
    if (rootOutside || !inRepo(paths.ionConfig)) outside.add(key);
    if (!rootOutside && !inRepo(paths.ionConfig)) {
      // Also the default path, when it is a link to a file elsewhere.
      const given = typeof app['ion-config'] === 'string' ? app['ion-config'] : DEFAULTS.ionConfig;
      at(['apps', key, 'ion-config'], `ion-config ${shown(given)} leads outside the repository (${repo}); write a file inside it`);
    }
    if (isRecord(app.store) && 's3' in app.store) continue;
    const local = isRecord(app.store) ? app.store.local : undefined;
    const bad = typeof local === 'string' ? folderProblem(local, dir, repo) : undefined;
    if (bad) at(['apps', key, 'store', 'local'], `store folder ${shown(String(local))} ${bad}`);
    const folder = resolve(dir, typeof local === 'string' ? local : DEFAULTS.localStore);
    if (!bad && !stores.has(folder)) stores.set(folder, key);
  }

  const groups = isRecord(root.groups) ? root.groups : {};
  const taken = new TakenFolders();
  for (const [key, group] of Object.entries(groups)) {
    if (!isRecord(group) || typeof group.local !== 'string') continue;
    const given = group.local;
    const where = (message: string) => at(['groups', key, 'local'], `group folder ${shown(given)} ${message}`);
    const bad = folderProblem(given, dir, repo);
    if (bad) {
      where(bad);
      continue;
    }
    const folder = resolve(dir, given);
    const store = [...stores].find(([s]) => isWithin(s, folder) || isWithin(folder, s));
    const other = taken.overlapping(folder);
    if (store) where(`overlaps the store of app '${store[1]}' (${relative(dir, store[0]) || '.'}); give the group a folder of its own`);
    else if (other) where(`overlaps the folder of group '${other}'; give each group a folder of its own`);
    else taken.add(folder, key);
  }
  return { problems, outside };
}

/**
 * Group folders taken so far (none inside another), and which group holds
 * each. A new folder overlaps one when that one is the folder itself or above
 * it, or lies below it: looked up along the folder's own ancestors, not by
 * comparing it with every group (quadratic: 500 groups took 0.8 s of a
 * `validate`).
 */
class TakenFolders {
  private readonly groups = new Map<string, string>();
  // Every folder above a taken one → the first group taken below it.
  private readonly above = new Map<string, string>();

  add(folder: string, group: string): void {
    this.groups.set(folder, group);
    for (let d = dirname(folder); !this.above.has(d); d = dirname(d)) {
      this.above.set(d, group);
      if (dirname(d) === d) break;
    }
  }

  /** The group whose folder overlaps `folder` (absolute, normalised), if any. */
  overlapping(folder: string): string | undefined {
    for (let d = folder; ; d = dirname(d)) {
      const group = this.groups.get(d);
      if (group !== undefined) return group;
      if (dirname(d) === d) break;
    }
    return this.above.get(folder);
  }
}

/** What is wrong with a store or group folder as written, if anything. */
function folderProblem(given: string, dir: string, repo: string): string | undefined {
  const folder = resolve(dir, given);
  if (!isAbsolute(given) && !isWithin(dir, folder)) return "leads outside deploy.yaml's folder; write a folder inside it, or an absolute path";
  if (isWithin(folder, repo) || isWithin(folder, dir)) {
    return folder === dir
      ? "is deploy.yaml's own folder; write a folder of its own (like .ionflow/groups/dev)"
      : 'holds the repository; write a folder of its own (like .ionflow/groups/dev)';
  }
  return undefined;
}
