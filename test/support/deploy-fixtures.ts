// Shared fixtures for deploy tests: a sample app whose appspec hooks append
// to a log, revisions built with `git archive` (what a push stores), and a
// store that serves them, so group tests do not depend on the push code.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalGroupConfig } from '../../src/model/config.js';
import type { RevisionMeta } from '../../src/model/revision.js';
import type { RevisionStore } from '../../src/backends/types.js';
import { IonflowError } from '../../src/model/errors.js';
import { makeRepo, type TempRepo } from './repo.js';

/** Appends "<event> <deployment-id> <app> <group> <release folder> <ns>" to $HOOK_LOG. */
export const HOOK_SCRIPT = `#!/bin/sh
echo "$LIFECYCLE_EVENT $DEPLOYMENT_ID $APPLICATION_NAME $DEPLOYMENT_GROUP_NAME $(basename "$PWD") $(date +%s%N)" >> "$HOOK_LOG"
`;

export const ALL_HOOKS = ['ApplicationStop', 'BeforeInstall', 'AfterInstall', 'ApplicationStart', 'ValidateService'];

export function appspec(hooks: Record<string, string>, timeout?: number): string {
  const lines = ['version: 0.0', 'os: linux', 'hooks:'];
  for (const [event, location] of Object.entries(hooks)) {
    lines.push(`  ${event}:`, `    - location: ${location}`);
    if (timeout) lines.push(`      timeout: ${timeout}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Commit files, making the listed ones executable (git records mode 755). */
export function commitApp(repo: TempRepo, message: string, files: Record<string, string>, executable: string[] = []): string {
  repo.write(files);
  for (const f of executable) chmodSync(join(repo.dir, f), 0o755);
  return repo.commit(message);
}

export const loggingApp = (extra: Record<string, string> = {}) => ({
  'appspec.yml': appspec(Object.fromEntries(ALL_HOOKS.map((h) => [h, 'scripts/hook.sh']))),
  'scripts/hook.sh': HOOK_SCRIPT,
  'src/app.clj': '(ns app)\n',
  ...extra,
});

export function metaFor(name: string, zip: string, appName = 'sample'): RevisionMeta {
  return {
    name,
    ...(/^[0-9a-f]{40}$/.test(name) ? { rev: name } : { uname: name }),
    appName,
    // What a push records: a deployment checks the zip against it.
    sha256: createHash('sha256').update(readFileSync(zip)).digest('hex'),
    size: statSync(zip).size,
    fileCount: 0,
    pushedAt: new Date().toISOString(),
    tree: '',
    entryPoints: null,
    location: zip,
  };
}

/** The zip `git archive` makes for a commit, as a revision. */
export function archive(repo: TempRepo, rev: string, appName = 'sample'): RevisionMeta {
  const dir = join(repo.home, 'zips');
  mkdirSync(dir, { recursive: true });
  const zip = join(dir, `${rev}.zip`);
  execFileSync('git', ['archive', '--format=zip', '-o', zip, rev], { cwd: repo.dir, env: repo.env });
  return metaFor(rev, zip, appName);
}

/** A store that serves revisions from their `location` zip. */
export const zipStore: RevisionStore = {
  kind: 'local',
  where: 'test zips',
  get: async () => undefined,
  put: async () => {
    throw new Error('not in tests');
  },
  holds: async () => true,
  lookup: () => ({ meta: Promise.resolve(undefined), intact: Promise.resolve(false) }),
  ensureRegistered: async () => {},
  fetchZip: async (meta) => ({ path: meta.location, cleanup: async () => {} }),
  list: async () => [],
  remoteDeployGroups: async () => [],
};

export function localGroup(dir: string, key = 'dev', keepReleases = 5): LocalGroupConfig {
  return { kind: 'local', key, app: 'sample', keepReleases, dir };
}

/** The IonflowError a promise rejects with (fails the test if it resolves or throws something else). */
export async function failure(promise: Promise<unknown>): Promise<IonflowError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof IonflowError) return err;
    throw err;
  }
  throw new Error('expected an IonflowError, but it succeeded');
}

export const DEPLOY_YAML = `version: 1
apps:
  sample:
    store:
      local: .ionflow/store
groups:
  dev:
    app: sample
    local: .ionflow/groups/dev
    keep-releases: 3
`;

/** A repo ready for the CLI: deploy.yaml, .ionflow/ ignored, the logging app committed. */
export function cliRepo(files: Record<string, string> = {}): { repo: TempRepo; env: NodeJS.ProcessEnv; log: string } {
  const repo = makeRepo();
  const log = join(repo.home, 'hooks.log');
  commitApp(repo, 'initial', { 'deploy.yaml': DEPLOY_YAML, '.gitignore': '.ionflow/\n', ...loggingApp(files) }, ['scripts/hook.sh']);
  return { repo, env: { ...repo.env, HOOK_LOG: log }, log };
}

export const readLines = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : []);

/** The EDN deploy map of SPEC §6 for a local group, with its ARN captured. */
export const LOCAL_DEPLOY_MAP =
  /^\{:execution-arn "(arn:ionflow:local:dev:d-[0-9-]+-[0-9a-f]{6})" :status-command "ionflow deploy-status --execution-arn \1" :doc "To check the status of your deployment, issue the :status-command\."\}\n$/;
