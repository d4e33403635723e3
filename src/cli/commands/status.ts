// `ionflow status [--json]` (SPEC §11): one row per group. An aligned table
// on stdout (status words coloured on a terminal unless NO_COLOR), or one
// JSON array with --json.

import { loadConfig } from '../../config/load.js';
import { ExitCode } from '../../model/errors.js';
import { type GroupStatus, groupStatuses } from '../../actions/status.js';
import { type Paint, paint } from '../../render/format.js';
import { table } from '../../text/table.js';
import { backendOptions, type CliContext } from '../context.js';
import { shortName } from '../../model/revision.js';
import { jsonText } from '../../text/json.js';

/** "3m ago", "2h ago", "5d ago": when matters at a glance; --json has the times. */
export function ago(iso: string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86_400)}d ago`;
}

function colour(word: string, p: Paint): (s: string) => string {
  if (word === 'SUCCEEDED') return p.green;
  if (word === 'RUNNING') return p.yellow;
  if (word === '-') return p.dim;
  return p.red;
}

export function statusTable(rows: GroupStatus[], p: Paint, now = Date.now()): string {
  const cells = rows.map((r) => {
    const revision = r['deploy-status'] ? `${shortName(r)}${r.subject ? ` ${r.subject.slice(0, 40)}` : ''}` : '-';
    const head = r['head-deployed'] === null ? '-' : r['head-deployed'] ? 'yes' : 'no';
    const behind = r.behind === undefined ? '' : r.behind.length === 0 ? 'no' : r.behind.map((b) => `${b.group} has ${shortName(b)}`).join(', ');
    return [r.group, r.app, revision, r['deploy-status'] ?? '-', r['started-at'] ? ago(r['started-at'], now) : '-', r.by ?? '-', head, behind];
  });
  const header = ['GROUP', 'APP', 'REVISION', 'STATUS', 'WHEN', 'BY', 'HEAD', 'BEHIND'];
  return table([header, ...cells], (padded, row, column) => {
    if (row === 0) return p.bold(padded);
    return column === 3 ? colour(padded.trimEnd(), p)(padded) : padded;
  }).join('\n');
}

export default async function status(ctx: CliContext): Promise<number> {
  const config = await loadConfig({ config: ctx.global.config, cwd: ctx.cwd });
  const rows = await groupStatuses(config, backendOptions(ctx));
  if (ctx.global.json) {
    ctx.stdout.write(jsonText(rows));
    return ExitCode.ok;
  }
  if (rows.length === 0) {
    ctx.log('deploy.yaml declares no groups');
    return ExitCode.ok;
  }
  ctx.stdout.write(`${statusTable(rows, paint(ctx.stdout as { isTTY?: boolean }, ctx.env))}\n`);
  return ExitCode.ok;
}
