// `<dir>/deployments/<id>.json`: the shape of one local deployment's file
// (SPEC §6, §13), read by the records, the install and the failure report.

import type { DeploymentFailure } from '../../model/deployment.js';
import type { HookRun } from './hooks.js';

export type LocalStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

export interface LocalDeploymentFile {
  id: string;
  executionArn: string;
  group: string;
  appName: string;
  name: string;
  rev?: string;
  uname?: string;
  status: LocalStatus;
  error?: string;
  startedAt: string;
  finishedAt?: string;
  /** The revision's content (RevisionMeta tree and sha256), to tell a uname's pushes apart. */
  tree?: string;
  sha256?: string;
  /** The release that was current when this deployment started. */
  previous?: string;
  hooks: HookRun[];
  /** Where a FAILED deployment failed (SPEC §13). */
  failure?: DeploymentFailure;
}
