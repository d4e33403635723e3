// Preflight (SPEC §14): every check a pipeline (or, without one, deploy.yaml)
// needs, run in parallel and changing nothing. One set of AWS clients per
// profile, so each profile's identity is asked once; the AWS SDK is loaded
// only when an aws store or group is in scope.

import type { AwsClients } from '../../backends/aws/clients.js';
import type { BackendOptions } from '../../backends/types.js';
import type { GitFacts } from '../../git/facts.js';
import type { DeployConfig, PipelineConfig } from '../../model/config.js';
import { preconditionError } from '../../model/errors.js';
import * as local from './local-checks.js';
import { type CheckResult, failed, resultLine } from './results.js';
import { scopeOf } from './scope.js';

/** `facts`: a run's, whose git questions its revision and first push share. */
export async function runPreflight(
  config: DeployConfig,
  pipeline: PipelineConfig | undefined,
  backend: BackendOptions = {},
  facts?: GitFacts,
): Promise<CheckResult[]> {
  const { apps, groups, profiles } = scopeOf(config, pipeline);
  const repoChecks = apps.map((app) => local.checkRepo(app, facts));
  const located = facts && apps[0] ? facts.locate(apps[0].root) : undefined;
  const checks: Promise<CheckResult>[] = [local.checkGit(located), ...repoChecks];
  if (apps.some((app) => app.store.kind === 'ion-dev')) {
    // lazy: ion-dev-checks costs 10 ms; only ion-dev apps need it (npm run bench -- imports; node -e 0: 85 ms)
    const { checkIonDevCommand } = await import('./ion-dev-checks.js');
    for (const app of apps) if (app.store.kind === 'ion-dev') checks.push(checkIonDevCommand(app, app.store));
  }

  const localGroups = groups.filter((g) => g.kind === 'local');
  checks.push(...localGroups.map((g) => local.checkLocalGroup(g)));
  for (const app of apps) {
    const keys = localGroups.filter((g) => g.app === app.key).map((g) => g.key);
    if (keys.length > 0) checks.push(local.checkHookScripts(app, keys));
  }

  if (profiles.size > 0) {
    // lazy: aws-checks and aws/clients cost 4.4 + 6.9 ms; a config with no AWS profile does not need them (npm run bench -- imports; node -e 0: 85 ms)
    const [aws, { clientSettings, createAwsClients }] = await Promise.all([import('./aws-checks.js'), import('../../backends/aws/clients.js')]);
    const clients = new Map<string | undefined, AwsClients>();
    for (const key of profiles.keys()) {
      const profile = key === undefined ? undefined : config.profiles[key];
      if (key !== undefined && !profile) {
        checks.push(Promise.resolve(failed(`profile ${key}`, 'not declared in deploy.yaml', `add profiles.${key}, or use a declared profile`)));
        continue;
      }
      const made = aws.sharedLookups(createAwsClients(profile, backend));
      clients.set(key, made);
      const storeOnly =
        (profiles.get(key) ?? []).every((s) => s.startsWith('store ')) &&
        clientSettings('s3', profile, backend).endpoint !== undefined &&
        clientSettings('sts', profile, backend).endpoint === undefined;
      checks.push(aws.checkIdentity(made, key, storeOnly));
    }
    for (const app of apps) {
      const made = app.store.kind === 's3' ? clients.get(app.store.profile) : undefined;
      if (made && app.store.kind === 's3') checks.push(aws.checkBucket(made, app, app.store.profile));
    }
    for (const group of groups) {
      const made = group.kind === 'aws' ? clients.get(group.profile) : undefined;
      const app = config.apps[group.app];
      if (!made || group.kind !== 'aws' || !app) continue;
      checks.push(aws.checkDeploymentGroup(made, group, app.name));
      if (group.via === 'step-functions') checks.push(aws.checkStateMachine(made, group));
    }
  }
  // A check that throws (a bug, not a finding) still reports, as a failure of its own.
  return Promise.all(checks.map((c) => c.catch((err: unknown) => failed('preflight', String((err as Error)?.message ?? err)))));
}

/**
 * `run` and `watch` before their first step: print what needs attention in
 * the results, and refuse (exit 3) when any check failed, before anything is pushed.
 */
export function enforcePreflight(results: CheckResult[], log: (line: string) => void): void {
  // A run shows what needs attention; `ionflow check` lists every check.
  for (const r of results) if (r.status !== 'ok') log(resultLine(r));
  const bad = results.filter((r) => r.status === 'failed');
  if (bad.length > 0) {
    throw preconditionError(`preflight: ${bad.length} of ${results.length} checks failed; nothing was pushed or deployed`, {
      hint: 'fix what the FAILED lines say (`ionflow check` runs the checks alone), or skip them with --no-preflight',
    });
  }
}
