// One local deployment, start to end (SPEC §6), under the group's lock:
// record RUNNING → fetch and check the zip → ApplicationStop of the previous
// release → unpack → BeforeInstall … ValidateService → switch `current` →
// record the outcome → prune releases. Loaded only when a deployment runs, so
// status and history never pay for yauzl and yaml.

import { rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { DEFAULT_MAX_UNPACKED_SIZE } from '../../config/size.js';
import type { LocalGroupConfig } from '../../model/config.js';
import { ExitCode, exitCodeOf, isAbortError } from '../../model/errors.js';
import type { DeployInput } from '../types.js';
import { type DeploymentRecord, localArn } from '../../model/deployment.js';
import { readAppSpec } from './appspec.js';
import { redactor } from '../../text/redact.js';
import { hookFailure } from './hook-failure.js';
import { describeFailure, type HookOptions, type HookRun, type HookStep, runHooks } from './hooks.js';
import { acquireGroupLock } from './lock.js';
import type { LocalDeploymentFile } from './deployment-file.js';
import { newDeploymentId, toDeploymentRecord, writeRecord } from './records.js';
import { placeRelease, pruneReleases, readCurrent, releaseDir, stageRelease, switchCurrent } from './releases.js';

export async function runDeployment(config: LocalGroupConfig, appName: string, input: DeployInput): Promise<DeploymentRecord> {
  const { revision, signal, onProgress } = input;
  const dir = config.dir;
  releaseDir(dir, revision.name); // refuse unusable names before taking the lock
  const release = await acquireGroupLock(dir, {
    group: config.key,
    owner: `pid ${process.pid} on ${hostname()} deploying ${revision.name}`,
    ...(signal ? { signal } : {}),
    ...(onProgress ? { onProgress } : {}),
  });
  try {
    // Asked again under the lock, before anything stops: another run may
    // have deployed this very revision while this one waited (make-style skip).
    const deployed = await input.upToDate?.();
    if (deployed) return deployed;
    const record: LocalDeploymentFile = {
      // Made under the lock, so ids (time-sortable) follow the order deployments ran in.
      id: newDeploymentId(),
      executionArn: '',
      group: config.key,
      appName,
      name: revision.name,
      ...(revision.rev ? { rev: revision.rev } : {}),
      ...(revision.uname ? { uname: revision.uname } : {}),
      ...(revision.tree ? { tree: revision.tree } : {}),
      ...(revision.sha256 ? { sha256: revision.sha256 } : {}),
      status: 'RUNNING',
      startedAt: new Date().toISOString(),
      hooks: [],
    };
    record.executionArn = localArn(config.key, record.id);
    const previous = await readCurrent(dir);
    if (previous) record.previous = previous;
    await writeRecord(dir, record);
    await input.onStarted?.(toDeploymentRecord(record));
    onProgress?.(`deploying ${revision.name} to ${config.key} (${record.executionArn})`);
    // The lifecycle step a failure outside the hooks is blamed on (SPEC §13).
    const at = { event: 'DownloadBundle' };
    try {
      const failure = await install(dir, record, input, at, config.maxUnpackedSize ?? DEFAULT_MAX_UNPACKED_SIZE);
      record.status = failure ? 'FAILED' : 'SUCCEEDED';
      if (failure) record.error = failure;
    } catch (err) {
      // A refused zip or an unreadable appspec is a FAILED deployment, reported
      // like a failing hook; only an interruption propagates (as ABORTED).
      const interrupted = isAbortError(err) || exitCodeOf(err) === ExitCode.interrupted || Boolean(signal?.aborted);
      record.status = interrupted ? 'ABORTED' : 'FAILED';
      record.error = interrupted ? 'interrupted' : err instanceof Error ? err.message.split('\n')[0]! : String(err);
      if (!interrupted) record.failure = { event: at.event, target: config.key, message: record.error };
      if (interrupted) {
        record.finishedAt = new Date().toISOString();
        await writeRecord(dir, record);
        throw err;
      }
    }
    record.finishedAt = new Date().toISOString();
    await writeRecord(dir, record);
    await pruneReleases(dir, config.keepReleases, await readCurrent(dir));
    return toDeploymentRecord(record);
  } finally {
    await release();
  }
}

/** Returns the failure (a hook's) or undefined once `current` points at the new release. */
async function install(
  groupDir: string,
  record: LocalDeploymentFile,
  input: DeployInput,
  at: { event: string },
  maxUnpackedSize: number,
): Promise<string | undefined> {
  const { revision, store, signal, onProgress, onLog } = input;
  const zip = await store.fetchZip(revision, signal);
  let staged: string | undefined;
  try {
    // The current release is never replaced in place: a redeploy of the
    // revision `current` points at (forced, or a uname with new content)
    // unpacks into a sibling named after the deployment, and `current` moves
    // to it only on success, so a failing hook leaves the old folder intact.
    const folder = record.previous === revision.name ? `${revision.name}.${record.id}` : revision.name;
    // Unpacked and checked whole first (links, sizes, sha256): a refused
    // revision must not even stop the running release.
    const guard = { maxBytes: maxUnpackedSize, group: record.group, expect: revision };
    staged = await stageRelease(groupDir, folder, zip.path, { guard, ...(signal ? { signal } : {}) });
    const env = { deploymentId: record.id, appName: record.appName, group: record.group };
    const hookOptions: HookOptions = {
      ...(signal ? { signal } : {}),
      ...(onProgress ? { onProgress } : {}),
      ...(onLog ? { onLog } : {}),
      redact: redactor(process.env), // hooks run in ionflow's environment: mask what they may echo of it
      onRun: async (run: HookRun) => {
        record.hooks.push(run);
        if (run.exitCode !== 0) record.failure = hookFailure(run, record.group);
        await writeRecord(groupDir, record);
      },
    };
    if (record.previous) {
      const prevDir = releaseDir(groupDir, record.previous);
      // The previous release's own appspec says how to stop it; a broken or missing one stops nothing.
      const spec = await readAppSpec(prevDir).catch(() => undefined);
      const stopped = await runHooks([{ event: 'ApplicationStop', releaseDir: prevDir, release: record.previous, spec }], env, hookOptions);
      if (stopped.failure) return describeFailure(stopped.failure);
    }
    at.event = 'Install';
    const dir = await placeRelease(groupDir, folder, staged);
    const spec = await readAppSpec(dir);
    const events = ['BeforeInstall', 'AfterInstall', 'ApplicationStart', 'ValidateService'] as const;
    const steps: HookStep[] = events.map((event) => ({ event, releaseDir: dir, release: folder, spec }));
    const ran = await runHooks(steps, env, hookOptions);
    if (ran.failure) return describeFailure(ran.failure);
    await switchCurrent(groupDir, folder);
    return undefined;
  } finally {
    if (staged) await rm(staged, { recursive: true, force: true }); // gone already once placed
    await zip.cleanup();
  }
}
