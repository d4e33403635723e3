// What the deploy and rollback commands share: the revision named on the
// command line, and how a started deployment is reported (SPEC §6).

import { failureLines } from '../model/failure.js';
import { groupConfig } from '../backends/group-factory.js';
import { resolveRev } from '../git/git.js';
import { type DeploymentRecord, idText, isFailedDeployStatus } from '../model/deployment.js';
import type { RevisionName } from '../model/revision.js';
import type { CliContext } from './context.js';
import { checkRevisionFlags } from '../model/names.js';
import type { DeployConfig } from '../model/config.js';
import { ExitCode, usageError } from '../model/errors.js';
import { deployMap } from './deploy-output.js';

const FULL_SHA = /^[0-9a-f]{40}$/;

/** --rev (a full SHA as is; anything else resolved in the group's app repository) or --uname. */
export async function revisionFromFlags(
  config: DeployConfig,
  groupKey: string,
  flags: { rev?: string; uname?: string },
  signal?: AbortSignal,
): Promise<RevisionName> {
  checkRevisionFlags(flags);
  if (flags.uname) return { uname: flags.uname };
  if (!flags.rev) throw usageError('say which revision to deploy: --rev <sha> or --uname <name>');
  if (FULL_SHA.test(flags.rev)) return { rev: flags.rev };
  const { app } = groupConfig(config, groupKey);
  return { rev: await resolveRev(app.root, flags.rev, signal) };
}

/** Print the deploy map; a deployment that already failed (local: FAILED, ABORTED or TIMED_OUT) also gets an error line and exit 1. */
export function reportDeploy(ctx: CliContext, groupKey: string, record: DeploymentRecord): number {
  ctx.print(deployMap(groupKey, record.id));
  const { deployStatus, error } = record.status;
  if (isFailedDeployStatus(deployStatus)) {
    ctx.log(`error: deployment ${idText(record.id)} of ${record.name} to group ${groupKey} ${deployStatus}${error ? `: ${error}` : ''}`);
    if (record.status.failure) for (const line of failureLines(record.status.failure)) ctx.log(line);
    ctx.log(`hint: see each hook's output with: ionflow history ${groupKey} --json`);
    return ExitCode.stepFailed;
  }
  return ExitCode.ok;
}
