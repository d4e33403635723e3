// `ionflow status` (SPEC §11): for every group in deploy.yaml order, what the
// ledger says it runs, refreshed from the back end where still RUNNING, and
// how that compares with HEAD and, for gated groups, with their sources.
// Changes nothing.

import type { BackendOptions } from '../backends/types.js';
import type { DeployConfig } from '../model/config.js';
import { idText } from '../model/deployment.js';
import * as git from '../git/git.js';
import { appLedger, groupHistory, type HistoryEntry, succeeded } from '../backends/ledger/read.js';
import type { LedgerDeployment } from '../backends/ledger/record.js';
import { toRevisionName } from '../model/revision.js';

export interface GroupStatus {
  group: string;
  app: string;
  kind: string;
  /** The group's newest deployment, if any. */
  rev?: string;
  uname?: string;
  subject?: string;
  'deploy-status'?: string;
  'deployment-id'?: string;
  'started-at'?: string;
  'ended-at'?: string;
  by?: string;
  run?: string;
  reason?: string;
  /** The revision the group last deployed successfully (what it runs, when the newest failed). */
  'runs-rev'?: string;
  'runs-uname'?: string;
  /** Whether HEAD of the app's repository is what the group runs; null when unknown (no git, a uname). */
  'head-deployed': boolean | null;
  /** Gated groups: the source groups with a newer SUCCEEDED revision than the one this group runs. */
  behind?: { group: string; rev?: string; uname?: string }[];
}

async function gitAnswers(root: string) {
  const head = await git.headSha(root).catch(() => undefined);
  const subjects = new Map<string, Promise<string | undefined>>();
  const subject = (sha: string) => {
    let found = subjects.get(sha);
    if (!found) {
      found = git.git(root, ['show', '-s', '--format=%s', sha]).catch(() => undefined);
      subjects.set(sha, found);
    }
    return found;
  };
  return { head, subject };
}

/** Two deployments of the same revision with the same content (as far as both recorded it). */
function sameDeployed(a: LedgerDeployment, b: LedgerDeployment): boolean {
  if (a.name !== b.name) return false;
  if (a.content?.tree && b.content?.tree) return a.content.tree === b.content.tree;
  if (a.content?.sha256 && b.content?.sha256) return a.content.sha256 === b.content.sha256;
  return a.rev !== undefined;
}

/** Newer success on the source than the one of what `g` runs (or a revision `g` never got). */
function behindOn(source: LedgerDeployment[], current: HistoryEntry | undefined): LedgerDeployment | undefined {
  const newest = succeeded(source)[0];
  if (!newest) return undefined;
  if (current && sameDeployed(current, newest)) return undefined;
  const currentOnSource = current ? succeeded(source).find((r) => r.name === current.name) : undefined;
  return !currentOnSource || newest.startedAt > currentOnSource.startedAt ? newest : undefined;
}

export async function groupStatuses(config: DeployConfig, backend?: BackendOptions): Promise<GroupStatus[]> {
  const ledgers = new Map<string, Map<string, LedgerDeployment[]>>();
  const gits = new Map<string, ReturnType<typeof gitAnswers>>();
  const histories = new Map<string, Promise<HistoryEntry[]>>();
  const historyOf = (key: string) => {
    let found = histories.get(key);
    if (!found) {
      found = (async () => {
        const app = config.groups[key]!.app;
        if (!ledgers.has(app)) ledgers.set(app, await appLedger(config, app, backend));
        return groupHistory(config, key, { ...(backend ? { backend } : {}), recorded: ledgers.get(app)!.get(key) ?? [] });
      })();
      histories.set(key, found);
    }
    return found;
  };
  const rows: GroupStatus[] = [];
  for (const [key, group] of Object.entries(config.groups)) {
    const app = config.apps[group.app]!;
    if (!gits.has(app.root)) gits.set(app.root, gitAnswers(app.root));
    const { head, subject } = await gits.get(app.root)!;
    const entries = await historyOf(key);
    const newest = entries[0];
    const runs = succeeded(entries)[0];
    const row: GroupStatus = { group: key, app: group.app, kind: group.kind, 'head-deployed': null };
    if (newest) {
      Object.assign(row, {
        ...toRevisionName(newest),
        ...(newest.rev ? { subject: await subject(newest.rev) } : {}),
        'deploy-status': newest.status.deployStatus,
        'deployment-id': idText(newest.id),
        'started-at': newest.startedAt,
        ...(newest.finishedAt ? { 'ended-at': newest.finishedAt } : {}),
        ...(newest.by ? { by: newest.by } : {}),
        ...(newest.run ? { run: newest.run } : {}),
        ...(newest.reason ? { reason: newest.reason } : {}),
      });
    }
    if (runs) Object.assign(row, runs.rev ? { 'runs-rev': runs.rev } : { 'runs-uname': runs.uname ?? runs.name });
    if (head) row['head-deployed'] = runs?.rev === head;
    if (group.promoteFrom) {
      row.behind = [];
      for (const source of group.promoteFrom) {
        const ahead = behindOn(await historyOf(source), runs);
        if (ahead) row.behind.push({ group: source, ...toRevisionName(ahead) });
      }
    }
    rows.push(row);
  }
  return rows;
}
