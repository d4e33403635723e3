// `ionflow history <group> [--json] [--limit n]`: the group's deployments,
// newest first. A table by default; with --json one JSON array of records
// (for a local group the hook runs and previous release too), with the
// kebab-case keys of every other JSON output (SPEC §5: "the same keys
// without colons").

import type { DeploymentRecord } from '../../model/deployment.js';
import { loadConfig } from '../../config/load.js';
import { idText } from '../../model/deployment.js';
import { ExitCode } from '../../model/errors.js';
import { withFailures } from '../../actions/deploy/failure-history.js';
import { createGroup } from '../../backends/group-factory.js';
import { groupHistory } from '../../backends/ledger/read.js';
import { table } from '../../text/table.js';
import { backendOptions, type CliContext } from '../context.js';
import { elapsedText } from '../../text/durations.js';
import { jsonText } from '../../text/json.js';

export interface HistoryOptions {
  limit?: number;
  json?: boolean;
}

function duration(r: DeploymentRecord): string {
  return r.finishedAt ? elapsedText(Date.parse(r.finishedAt) - Date.parse(r.startedAt)) : '-';
}

/** Columns padded to their widest cell; `*` marks the current (newest successful) revision. */
export function historyTable(records: (DeploymentRecord & { by?: string })[]): string {
  const current = records.find((r) => r.status.deployStatus === 'SUCCEEDED');
  const rows = [
    ['', 'STARTED', 'STATUS', 'REVISION', 'DURATION', 'ID', 'BY'],
    ...records.map((r) => [
      r === current ? '*' : '',
      r.startedAt.replace(/\.\d+Z$/, 'Z'),
      r.status.deployStatus,
      r.rev ? r.rev.slice(0, 12) : (r.uname ?? r.name),
      duration(r),
      idText(r.id),
      r.by ?? '',
    ]),
  ];
  return table(rows).join('\n');
}

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Plain data with every object key in kebab-case (hook runs: exit-code, output-tail, …). */
function kebabKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(kebabKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [kebab(k), kebabKeys(v)]));
}

/** One record for `history --json`: id and status flattened like the deploy and deploy-status maps. */
export function historyJson(record: DeploymentRecord & { previous?: string; hooks?: unknown[] }): Record<string, unknown> {
  const { id, status, ...rest } = record;
  return kebabKeys({ ...id, ...status, ...rest }) as Record<string, unknown>;
}

export default async function history(ctx: CliContext, options: HistoryOptions, groupKey: string): Promise<number> {
  const config = await loadConfig({ config: ctx.global.config, cwd: ctx.cwd });
  const records = await groupHistory(config, groupKey, { backend: backendOptions(ctx), limit: options.limit ?? 20 });
  if (ctx.global.json || options.json) {
    const detailed = await withFailures(await createGroup(config, groupKey, backendOptions(ctx)), records);
    ctx.stdout.write(jsonText(detailed.map(historyJson)));
    return ExitCode.ok;
  }
  if (records.length === 0) {
    ctx.log(`group ${groupKey} has no deployments yet`);
    return ExitCode.ok;
  }
  ctx.stdout.write(`${historyTable(records)}\n`);
  return ExitCode.ok;
}
