// Valid raw deploy.yaml → the resolved DeployConfig of model/config.ts: absolute
// paths, every default filled in (SPEC §3), durations in milliseconds.
// Runs only after the schema and the checks found no problem.

import { resolve } from 'node:path';
import { parseDuration } from './duration.js';
import { DEFAULT_MAX_UNPACKED_SIZE, parseSize } from './size.js';
import { isRecord, rawSteps } from './steps.js';
import type {
  AppConfig,
  DeployConfig,
  GroupConfig,
  IonDevConfig,
  PipelineConfig,
  Position,
  ProfileConfig,
  StepConfig,
  StoreConfig,
  Via,
} from '../model/config.js';

type Raw = Record<string, unknown>;

export const DEFAULTS = {
  root: '.',
  ionConfig: 'resources/datomic/ion-config.edn',
  localStore: '.ionflow/store',
  keepReleases: 5,
  s3Prefix: 'datomic/apps/',
  via: 'step-functions' as Via,
  waitTimeoutMs: 30 * 60_000,
  ionDevCommand: ['clojure', '-A:ion-dev'],
  ionDevTimeoutsMs: { push: 30 * 60_000, deploy: 5 * 60_000, status: 2 * 60_000 },
} as const;

const entries = (v: unknown): [string, Raw][] => (isRecord(v) ? (Object.entries(v) as [string, Raw][]) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * Maps keyed by names from deploy.yaml or the command line have no prototype:
 * `plan toString` or `history __proto__` must find nothing, not Object's members.
 */
export const keyed = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;

/** Where an app's root and ion-config.edn are, before the app-name is known. */
export function appPaths(dir: string, app: Raw): { root: string; ionConfig: string } {
  const root = resolve(dir, str(app.root) ?? DEFAULTS.root);
  return { root, ionConfig: resolve(root, str(app['ion-config']) ?? DEFAULTS.ionConfig) };
}

export function normalise(
  raw: Raw,
  file: string,
  dir: string,
  ionAppNames: Record<string, string | undefined>,
  posOf?: (path: (string | number)[]) => Position,
): DeployConfig {
  const profiles = keyed<ProfileConfig>();
  for (const [key, p] of entries(raw.profiles)) {
    const endpoints = isRecord(p.endpoints) ? (p.endpoints as ProfileConfig['endpoints']) : {};
    profiles[key] = { key, awsProfile: str(p['aws-profile']), region: str(p.region), endpoints: { ...endpoints } };
  }

  const apps = keyed<AppConfig>();
  for (const [key, a] of entries(raw.apps)) {
    const { root, ionConfig } = appPaths(dir, a);
    const s = isRecord(a.store) ? a.store : {};
    let store: StoreConfig;
    if (isRecord(a['ion-dev'])) {
      store = ionDevConfig(a, a['ion-dev'], profiles);
    } else if (isRecord(s.s3)) {
      store = { kind: 's3', bucket: String(s.s3.bucket), prefix: str(s.s3.prefix) ?? DEFAULTS.s3Prefix, profile: str(s.s3.profile) };
    } else {
      const keep = typeof s['keep-revisions'] === 'number' ? s['keep-revisions'] : undefined;
      store = { kind: 'local', dir: resolve(dir, str(s.local) ?? DEFAULTS.localStore), ...(keep ? { keepRevisions: keep } : {}) };
    }
    apps[key] = { key, root, ionConfig, name: str(a.name) ?? ionAppNames[key] ?? key, store };
  }

  const groups = keyed<GroupConfig>();
  for (const [key, g] of entries(raw.groups)) {
    const gate = g['promote-from'];
    const promoteFrom = typeof gate === 'string' ? [gate] : Array.isArray(gate) ? gate.map(String) : undefined;
    const common = {
      key,
      app: String(g.app),
      keepReleases: typeof g['keep-releases'] === 'number' ? g['keep-releases'] : DEFAULTS.keepReleases,
      ...(promoteFrom ? { promoteFrom } : {}),
    };
    if (isRecord(g['ion-dev'])) {
      groups[key] = { kind: 'ion-dev', ...common, computeGroup: str(g['ion-dev'].group) ?? key };
    } else if (isRecord(g.aws)) {
      const aws = g.aws;
      groups[key] = {
        kind: 'aws',
        ...common,
        profile: str(aws.profile),
        via: (str(aws.via) as Via | undefined) ?? DEFAULTS.via,
        stateMachine: str(aws['state-machine']) ?? `datomic-${key}`,
        deploymentGroup: str(aws['deployment-group']) ?? key,
        ...(aws.rollback === 'auto' ? { rollback: 'auto' as const } : {}),
      };
    } else {
      groups[key] = {
        kind: 'local',
        ...common,
        dir: resolve(dir, String(g.local)),
        maxUnpackedSize: parseSize(g['max-unpacked-size']) ?? DEFAULT_MAX_UNPACKED_SIZE,
      };
    }
  }

  const pipelines = keyed<PipelineConfig>();
  for (const [key, p] of entries(raw.pipelines)) {
    const defaultCwd = pipelineRoot(p.steps, apps, groups) ?? dir;
    const steps = rawSteps(p.steps).map((s): StepConfig => {
      const base = { id: s.id, needs: s.needs, ...(posOf ? { pos: posOf(['pipelines', key, 'steps', s.index]) } : {}) };
      const r = s.raw;
      switch (s.kind) {
        case 'push':
          return { ...base, kind: 'push', app: s.target! };
        case 'deploy':
          return { ...base, kind: 'deploy', group: s.target! };
        case 'wait': {
          const w = isRecord(r.wait) ? r.wait : {};
          return {
            ...base,
            kind: 'wait',
            group: s.target!,
            for: w.for === 'RUNNING' ? 'RUNNING' : 'SUCCEEDED',
            timeoutMs: parseDuration(str(w.timeout) ?? '') ?? DEFAULTS.waitTimeoutMs,
            ...(typeof w.poll === 'string' ? { pollMs: parseDuration(w.poll) } : {}),
          };
        }
        case 'run':
          return {
            ...base,
            kind: 'run',
            command: Array.isArray(r.run) ? r.run.map(String) : String(r.run),
            cwd: typeof r.cwd === 'string' ? resolve(dir, r.cwd) : defaultCwd,
            env: Object.fromEntries(entries(r.env).length ? Object.entries(r.env as Raw).map(([k, v]) => [k, String(v)]) : []),
            ...(typeof r.timeout === 'string' ? { timeoutMs: parseDuration(r.timeout) } : {}),
          };
        default:
          return { ...base, kind: 'confirm', question: String(r.confirm) };
      }
    });
    pipelines[key] = { key, ...(typeof p.description === 'string' ? { description: p.description } : {}), steps };
  }

  return { version: 1, file, dir, profiles, apps, groups, pipelines };
}

/** An app's `ion-dev` settings, defaults filled in; `creds-profile`/`region` written here win over the profile's. */
function ionDevConfig(app: Raw, ionDev: Raw, profiles: Record<string, ProfileConfig>): IonDevConfig {
  const profile = typeof ionDev.profile === 'string' ? profiles[ionDev.profile] : undefined;
  const credsProfile = str(ionDev['creds-profile']) ?? profile?.awsProfile;
  const region = str(ionDev.region) ?? profile?.region;
  const t = isRecord(ionDev.timeouts) ? ionDev.timeouts : {};
  const ms = (op: keyof typeof DEFAULTS.ionDevTimeoutsMs) => parseDuration(str(t[op]) ?? '') ?? DEFAULTS.ionDevTimeoutsMs[op];
  return {
    kind: 'ion-dev',
    command: Array.isArray(ionDev.command) ? ionDev.command.map(String) : [...DEFAULTS.ionDevCommand],
    ...(credsProfile !== undefined ? { credsProfile } : {}),
    ...(region !== undefined ? { region } : {}),
    timeouts: { push: ms('push'), deploy: ms('deploy'), status: ms('status') },
    dependencyConflicts: app['dependency-conflicts'] === 'fail' ? 'fail' : 'warn',
    allowConflicts: Array.isArray(app['allow-conflicts']) ? app['allow-conflicts'].map(String) : [],
  };
}

/** A run step works in "the app root": the one app the pipeline pushes or deploys, else the only app. */
function pipelineRoot(steps: unknown, apps: Record<string, AppConfig>, groups: Record<string, GroupConfig>): string | undefined {
  const used = new Set<string>();
  for (const s of rawSteps(steps)) {
    if (s.kind === 'push' && s.target) used.add(s.target);
    if ((s.kind === 'deploy' || s.kind === 'wait') && s.target && groups[s.target]) used.add(groups[s.target]!.app);
  }
  const keys = used.size ? [...used] : Object.keys(apps);
  return keys.length === 1 ? apps[keys[0]!]?.root : undefined;
}
