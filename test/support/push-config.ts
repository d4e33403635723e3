// DeployConfig objects for push tests, built directly (no deploy.yaml needed).
import { join } from 'node:path';
import type { AppConfig, DeployConfig, GroupConfig, ProfileConfig, StoreConfig } from '../../src/model/config.js';

export interface ConfigParts {
  dir: string;
  /** App root relative to dir (default '.'). */
  root?: string;
  store?: StoreConfig;
  groups?: string[];
  profile?: ProfileConfig;
}

export function pushConfig(parts: ConfigParts): DeployConfig {
  const root = join(parts.dir, parts.root ?? '.');
  const app: AppConfig = {
    key: 'shop',
    root,
    ionConfig: join(root, 'resources/datomic/ion-config.edn'),
    name: 'shop',
    store: parts.store ?? { kind: 'local', dir: join(root, '.ionflow/store') },
  };
  const groups: Record<string, GroupConfig> = {};
  for (const key of parts.groups ?? ['dev']) {
    groups[key] = { kind: 'local', key, app: 'shop', keepReleases: 5, dir: join(root, '.ionflow/groups', key) };
  }
  return {
    version: 1,
    file: join(parts.dir, 'deploy.yaml'),
    dir: parts.dir,
    profiles: parts.profile ? { [parts.profile.key]: parts.profile } : {},
    apps: { shop: app },
    groups,
    pipelines: {},
  };
}
