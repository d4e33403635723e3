// The resolved, validated form of deploy.yaml v1 (SPEC §3). Paths are absolute,
// defaults are filled in, durations are milliseconds. Everything after the
// config stage works on these types, never on raw YAML.

export interface Position {
  file: string;
  line: number;
  col: number;
}

export interface Endpoints {
  s3?: string;
  codedeploy?: string;
  sfn?: string;
  sts?: string;
}

export interface ProfileConfig {
  key: string;
  awsProfile?: string;
  region?: string;
  endpoints: Endpoints;
}

/**
 * An ion-dev app (SPEC §16): Datomic's ion-dev pushes and deploys, ionflow
 * runs it. It has no store of ionflow's; this takes the store's place.
 */
export interface IonDevConfig {
  kind: 'ion-dev';
  /** The argv prefix, default [clojure, -A:ion-dev]. */
  command: string[];
  /** Named in every op map when set (explicit, else from `profile`). */
  credsProfile?: string;
  region?: string;
  /** Per-op timeouts in milliseconds. */
  timeouts: { push: number; deploy: number; status: number };
  /** `fail`: conflicts not in allowConflicts fail the push. */
  dependencyConflicts: 'warn' | 'fail';
  allowConflicts: string[];
}

export type StoreConfig =
  | { kind: 'local'; dir: string /** Prune after a push to the newest n (SPEC §5); unset: keep all. */; keepRevisions?: number }
  | { kind: 's3'; bucket: string; prefix: string; profile?: string }
  | IonDevConfig;

export interface AppConfig {
  key: string;
  /** Absolute path of the app's folder. */
  root: string;
  /** Absolute path of ion-config.edn (may not exist). */
  ionConfig: string;
  /** The app-name: `name`, else :app-name of ion-config.edn, else the key. */
  name: string;
  store: StoreConfig;
}

export type Via = 'step-functions' | 'codedeploy';

export interface LocalGroupConfig {
  kind: 'local';
  key: string;
  app: string;
  keepReleases: number;
  /** Promotion gate (SPEC §11): groups a revision must have SUCCEEDED on first. */
  promoteFrom?: string[];
  /** Absolute path of the compute group's folder. */
  dir: string;
  /** Bytes a revision may unpack to (max-unpacked-size; default 8 GiB). */
  maxUnpackedSize?: number;
}

export interface AwsGroupConfig {
  kind: 'aws';
  key: string;
  app: string;
  keepReleases: number;
  promoteFrom?: string[];
  profile?: string;
  via: Via;
  /** A name or an ARN; default `datomic-<group key>`. */
  stateMachine: string;
  /** The CodeDeploy deployment group; default the group key. */
  deploymentGroup: string;
  rollback?: 'auto';
}

/** A Datomic Cloud compute group deployed through ion-dev (SPEC §16). */
export interface IonDevGroupConfig {
  kind: 'ion-dev';
  key: string;
  app: string;
  keepReleases: number;
  promoteFrom?: string[];
  /** The compute group's name, ion-dev's `:group`; default the group key. */
  computeGroup: string;
}

export type GroupConfig = LocalGroupConfig | AwsGroupConfig | IonDevGroupConfig;

interface StepBase {
  /** `<kind>-<target>` by default (`run-1`, `confirm-1` … by position). */
  id: string;
  /** Resolved dependencies: explicit `needs`, else the previous step, else none. */
  needs: string[];
  /** Where the step is written, for messages. */
  pos?: Position;
}

export interface PushStep extends StepBase {
  kind: 'push';
  app: string;
}
export interface DeployStep extends StepBase {
  kind: 'deploy';
  group: string;
}
export interface WaitStep extends StepBase {
  kind: 'wait';
  group: string;
  for: 'SUCCEEDED' | 'RUNNING';
  timeoutMs: number;
  /** Poll interval for aws groups; undefined = back off from 2s to 15s. */
  pollMs?: number;
}
export interface RunStep extends StepBase {
  kind: 'run';
  /** A string runs through /bin/sh -c; an array is an argv (no shell). */
  command: string | string[];
  /** Absolute working folder; default the app root (or deploy.yaml's folder). */
  cwd?: string;
  env: Record<string, string>;
  timeoutMs?: number;
}
export interface ConfirmStep extends StepBase {
  kind: 'confirm';
  question: string;
}

export type StepConfig = PushStep | DeployStep | WaitStep | RunStep | ConfirmStep;
export type StepKind = StepConfig['kind'];

export interface PipelineConfig {
  key: string;
  description?: string;
  steps: StepConfig[];
}

export interface DeployConfig {
  version: 1;
  /** Absolute path of deploy.yaml. */
  file: string;
  /** Folder of deploy.yaml; relative paths resolve against it. */
  dir: string;
  profiles: Record<string, ProfileConfig>;
  apps: Record<string, AppConfig>;
  groups: Record<string, GroupConfig>;
  pipelines: Record<string, PipelineConfig>;
}
