// `<dir>/deployments/<id>.json`: one file per local deployment, rewritten
// atomically (temp + rename) as it progresses, so `deploy-status` and
// `history` from another process always read a whole record.

import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeploymentRecord, DeploymentStatus } from '../../model/deployment.js';
import { failureOf } from './hook-failure.js';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import { orIfMissing } from '../../fs/or-if-missing.js';
import type { LocalDeploymentFile } from './deployment-file.js';
import { jsonText } from '../../text/json.js';

/** Ids sort by start time: `d-20261128-163648-123-a1b2c3`. */
export function newDeploymentId(now = new Date()): string {
  const t = now.toISOString().replace(/[-:]/g, '').replace('T', '-').replace('.', '-').replace('Z', '');
  return `d-${t}-${randomBytes(3).toString('hex')}`;
}

const recordsDir = (dir: string) => join(dir, 'deployments');
const SAFE_ID = /^[A-Za-z0-9._-]+$/;

export async function writeRecord(dir: string, record: LocalDeploymentFile): Promise<void> {
  await mkdir(recordsDir(dir), { recursive: true });
  await writeFileAtomic(join(recordsDir(dir), `${record.id}.json`), jsonText(record));
}

export async function readRecord(dir: string, id: string): Promise<LocalDeploymentFile | undefined> {
  if (!SAFE_ID.test(id)) return undefined;
  const text = await orIfMissing(readFile(join(recordsDir(dir), `${id}.json`), 'utf8'), undefined);
  return text === undefined ? undefined : (JSON.parse(text) as LocalDeploymentFile);
}

/** Newest first. */
export async function listRecords(dir: string, limit = Number.POSITIVE_INFINITY): Promise<LocalDeploymentFile[]> {
  const names = await orIfMissing(readdir(recordsDir(dir)), []);
  const ids = names
    .filter((n) => n.endsWith('.json'))
    .map((n) => n.slice(0, -'.json'.length))
    .sort()
    .reverse()
    .slice(0, limit);
  const records = await Promise.all(ids.map((id) => readRecord(dir, id)));
  return records.filter((r): r is LocalDeploymentFile => r !== undefined);
}

export function statusOf(record: Pick<LocalDeploymentFile, 'status' | 'error' | 'group' | 'hooks' | 'failure'>): DeploymentStatus {
  const error = record.error === undefined ? {} : { error: record.error };
  const failure = failureOf(record);
  switch (record.status) {
    case 'SUCCEEDED':
      return { deployStatus: 'SUCCEEDED', codeDeployStatus: 'SUCCEEDED' };
    case 'FAILED':
      return { deployStatus: 'FAILED', codeDeployStatus: 'FAILED', ...error, ...(failure ? { failure } : {}) };
    case 'ABORTED':
      return { deployStatus: 'ABORTED', codeDeployStatus: 'STOPPED', ...error };
    default:
      return { deployStatus: 'RUNNING', codeDeployStatus: 'RUNNING' };
  }
}

export function toDeploymentRecord(file: LocalDeploymentFile): DeploymentRecord {
  return {
    id: { executionArn: file.executionArn },
    group: file.group,
    appName: file.appName,
    name: file.name,
    ...(file.rev ? { rev: file.rev } : {}),
    ...(file.uname ? { uname: file.uname } : {}),
    status: statusOf(file),
    startedAt: file.startedAt,
    ...(file.finishedAt ? { finishedAt: file.finishedAt } : {}),
    ...(file.tree || file.sha256 ? { content: { ...(file.tree ? { tree: file.tree } : {}), ...(file.sha256 ? { sha256: file.sha256 } : {}) } } : {}),
  };
}
