// ionflow's own record of each ion-dev deployment: ion-dev keeps none that
// ionflow could read, so `history`, `wait` without an id and the make-style
// up-to-date check read these. They are SPEC §11 ledger records, kept where
// §11 puts an ion-dev app's ledger: `.ionflow/ledger/<app-name>/<group>/<id>.json`
// beside deploy.yaml, one whole JSON object each, written atomically
// (temp + rename), named by the execution's name (the ARN's last part).

import { mkdir, readdir, readFile } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../local/atomic-write.js';
import { orIfMissing } from '../local/records.js';
import type { DeployConfig } from '../../config/types.js';
import type { CodeDeployStatus, DeploymentRecord, DeployStatus } from '../types.js';

export interface LedgerRecord {
  group: string;
  app: string;
  rev?: string;
  uname?: string;
  'execution-arn': string;
  'deploy-status': DeployStatus;
  error?: string;
  'started-at': string;
  'ended-at'?: string;
  by: string;
  run?: string;
}

const SAFE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The file name of an execution: its name, the last part of the ARN. */
export function ledgerId(executionArn: string): string {
  const id = executionArn.slice(executionArn.lastIndexOf(':') + 1);
  if (!SAFE.test(id)) throw new Error(`ion-dev answered an execution ARN whose name is not a file name: ${JSON.stringify(executionArn)}`);
  return id;
}

const CODE_DEPLOY_WORD: Record<DeployStatus, CodeDeployStatus> = {
  RUNNING: 'RUNNING',
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
  TIMED_OUT: 'FAILED',
  ABORTED: 'STOPPED',
};

export function toDeployment(record: LedgerRecord): DeploymentRecord {
  const word = record['deploy-status'];
  return {
    id: { executionArn: record['execution-arn'] },
    group: record.group,
    appName: record.app,
    name: record.rev ?? record.uname ?? '?',
    ...(record.rev ? { rev: record.rev } : {}),
    ...(record.uname ? { uname: record.uname } : {}),
    status: { deployStatus: word, codeDeployStatus: CODE_DEPLOY_WORD[word], ...(record.error ? { error: record.error } : {}) },
    startedAt: record['started-at'],
    ...(record['ended-at'] ? { finishedAt: record['ended-at'] } : {}),
  };
}

/** SPEC §11: an ion-dev app's ledger is `.ionflow/ledger/<app-name>/` beside deploy.yaml. */
export const ledgerFor = (config: Pick<DeployConfig, 'dir'>, appName: string) => new IonDevLedger(join(config.dir, '.ionflow', 'ledger', appName));

/**
 * The ion-dev group of deploy.yaml that ran an execution: the one whose
 * ledger records it, else, when every ion-dev group deploys one app and no
 * aws group runs executions, the first (ion-dev's deploy-status needs only
 * the ARN and the app's ion-dev settings).
 */
export async function ionDevGroupOfExecution(config: DeployConfig, executionArn: string): Promise<string | undefined> {
  const groups = Object.values(config.groups).filter((g) => g.kind === 'ion-dev');
  for (const g of groups) {
    const app = config.apps[g.app];
    if (app && (await ledgerFor(config, app.name).get(g.key, executionArn))) return g.key;
  }
  const awsExecutions = Object.values(config.groups).some((g) => g.kind === 'aws' && g.via === 'step-functions');
  return !awsExecutions && new Set(groups.map((g) => g.app)).size === 1 ? groups[0]!.key : undefined;
}

export class IonDevLedger {
  /** `dir` is `.ionflow/ledger/<app-name>` beside deploy.yaml. */
  constructor(readonly dir: string) {}

  async put(record: LedgerRecord): Promise<void> {
    if (!SAFE.test(record.group)) throw new Error(`group ${JSON.stringify(record.group)} is not a file name`);
    const dir = join(this.dir, record.group);
    await mkdir(dir, { recursive: true });
    await writeFileAtomic(join(dir, `${ledgerId(record['execution-arn'])}.json`), `${JSON.stringify(record, null, 2)}\n`);
  }

  async get(group: string, executionArn: string): Promise<LedgerRecord | undefined> {
    const id = executionArn.slice(executionArn.lastIndexOf(':') + 1);
    if (!SAFE.test(group) || !SAFE.test(id)) return undefined;
    const text = await orIfMissing(readFile(join(this.dir, group, `${id}.json`), 'utf8'), undefined);
    const record = text === undefined ? undefined : parse(text);
    return record?.['execution-arn'] === executionArn ? record : undefined;
  }

  /** The group's records, newest first. */
  async list(group: string): Promise<LedgerRecord[]> {
    if (!SAFE.test(group)) return [];
    const names = await orIfMissing(readdir(join(this.dir, group)), [] as string[]);
    const texts = await Promise.all(
      names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).map((n) => orIfMissing(readFile(join(this.dir, group, n), 'utf8'), undefined)),
    );
    const records = texts.map((t) => (t === undefined ? undefined : parse(t))).filter((r): r is LedgerRecord => r !== undefined);
    return records.sort((a, b) => b['started-at'].localeCompare(a['started-at']));
  }
}

function parse(text: string): LedgerRecord | undefined {
  try {
    const value = JSON.parse(text) as LedgerRecord;
    return typeof value.group === 'string' && typeof value['execution-arn'] === 'string' && typeof value['deploy-status'] === 'string' ? value : undefined;
  } catch {
    // A record another tool mangled is left out rather than hiding every other one.
    return undefined;
  }
}

let who: string | undefined;

/** `by`: git's user.email, else the login name, and the host. */
export async function deployer(cwd: string): Promise<string> {
  if (who) return who;
  let name: string | undefined;
  try {
    const { git } = await import('../../git/git.js');
    name = (await git(cwd, ['config', 'user.email'])).trim() || undefined;
  } catch {
    // No git, or no user.email: the login name says who as well.
  }
  if (!name) {
    try {
      name = userInfo().username;
    } catch {
      name = process.env.USER ?? 'unknown';
    }
  }
  who = `${name} on ${hostname()}`;
  return who;
}
