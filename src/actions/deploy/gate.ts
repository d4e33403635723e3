// Promotion gates (SPEC §11): a group with `promote-from` takes a revision
// only when the ledger holds a SUCCEEDED deployment of that very revision
// (same name, same content) to every named group. Checked by every deploy
// (deploy, run, watch, rollback, EDN ops) and shown by `plan`.

import type { BackendOptions } from '../../backends/types.js';
import { type RevisionMeta, shortName } from '../../model/revision.js';
import type { DeployConfig } from '../../model/config.js';
import { sameRevision } from '../../model/deployment.js';
import { preconditionError } from '../../model/errors.js';
import { groupHistory, succeeded } from '../../backends/ledger/read.js';

export interface GateRefusal {
  message: string;
  hint: string;
}

/**
 * Why `groupKey` refuses `meta`, or undefined when its gate lets it in (or it
 * has none). `passed` names source groups taken as passed (plan: deployed
 * earlier in the same pipeline).
 */
export async function gateRefusal(
  config: DeployConfig,
  groupKey: string,
  meta: RevisionMeta,
  options: { backend?: BackendOptions; passed?: string[] } = {},
): Promise<GateRefusal | undefined> {
  const sources = config.groups[groupKey]?.promoteFrom ?? [];
  for (const source of sources) {
    if (options.passed?.includes(source)) continue;
    // RUNNING entries come back refreshed: a deployment nobody waited for may have succeeded since.
    const ok = succeeded(await groupHistory(config, source, options.backend ? { backend: options.backend } : {}));
    if (ok.some((r) => sameRevision(r, meta))) continue;
    const runs = ok[0];
    const what = shortName(meta);
    const where = !runs
      ? `${source} has no successful deployment`
      : runs.name === meta.name
        ? `${source} runs ${shortName(runs)} with other content`
        : `${source} runs ${shortName(runs)}`;
    const all = sources.length > 1 ? sources.join(' and ') : source;
    return {
      message: `${groupKey} takes only revisions that succeeded on ${all}; ${what} has not (${where})`,
      hint: `run a pipeline that deploys ${what} to ${source} first, or --override-gate "<reason>"`,
    };
  }
  return undefined;
}

/** Refuse (exit 3) unless the gate lets `meta` in or the user overrode it with a reason. */
export async function enforceGate(
  config: DeployConfig,
  groupKey: string,
  meta: RevisionMeta,
  options: { backend?: BackendOptions; overrideGate?: string; onProgress?: (line: string) => void },
): Promise<void> {
  const refusal = await gateRefusal(config, groupKey, meta, options.backend ? { backend: options.backend } : {});
  if (!refusal) return;
  if (options.overrideGate === undefined) throw preconditionError(refusal.message, { hint: refusal.hint });
  options.onProgress?.(`gate overridden (${options.overrideGate}): ${refusal.message}`);
}
