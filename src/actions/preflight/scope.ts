// What a pipeline needs (SPEC §14): the apps it pushes or deploys, the groups
// it deploys to or waits on, the profiles their stores and groups use.
// Without a pipeline: every app and group of deploy.yaml.

import type { AppConfig, DeployConfig, GroupConfig, PipelineConfig } from '../../model/config.js';

export interface Scope {
  apps: AppConfig[];
  groups: GroupConfig[];
  /** Profile keys (undefined: the default chain, no profile named) with the subjects using them. */
  profiles: Map<string | undefined, string[]>;
}

export function scopeOf(config: DeployConfig, pipeline?: PipelineConfig): Scope {
  const groupKeys = new Set<string>();
  const appKeys = new Set<string>();
  if (pipeline) {
    for (const step of pipeline.steps) {
      if (step.kind === 'push') appKeys.add(step.app);
      if (step.kind === 'deploy' || step.kind === 'wait') groupKeys.add(step.group);
      // A deploy takes its revision from the group's app's store (a wait needs neither).
      if (step.kind === 'deploy' && config.groups[step.group]) appKeys.add(config.groups[step.group]!.app);
    }
  } else {
    for (const key of Object.keys(config.groups)) groupKeys.add(key);
    for (const key of Object.keys(config.apps)) appKeys.add(key);
  }
  const groups = [...groupKeys].map((k) => config.groups[k]).filter((g): g is GroupConfig => g !== undefined);
  const apps = [...appKeys].map((k) => config.apps[k]).filter((a): a is AppConfig => a !== undefined);

  const profiles = new Map<string | undefined, string[]>();
  const use = (profile: string | undefined, subject: string) => profiles.set(profile, [...(profiles.get(profile) ?? []), subject]);
  for (const app of apps) if (app.store.kind === 's3') use(app.store.profile, `store ${app.key}`);
  for (const g of groups) if (g.kind === 'aws') use(g.profile, `group ${g.key}`);
  return { apps, groups, profiles };
}
