// The StepRunner that does the work: push, deploy and wait steps go to the
// push and deploy actions (./push/, ./deploy/), a `run` step to
// ./run-command.ts, each loaded on first use so a pipeline loads only what it
// uses; `confirm` goes through the injected Ask. The back ends stay behind
// those actions.

import type { BackendOptions } from '../backends/types.js';
import { type DeploymentId, type DeploymentRecord, idField, idText, isFailedDeployStatus } from '../model/deployment.js';
import type { DeployConfig, PipelineConfig } from '../model/config.js';
import { InterruptedError, preconditionError, stepError } from '../model/errors.js';
import type { Ask } from './confirm.js';
import type { GitFacts } from '../git/facts.js';
import { ownFolders } from './push/own-folders.js';
import type { StepFacts } from '../engine/events.js';
import { DeploymentFailedError } from './deploy/failed-error.js';
import { type StepInput, type StepOutcome, type StepRunner, withFacts } from '../engine/step-types.js';
import { type RevisionName, shortName } from '../model/revision.js';

export interface RealRunnerOptions {
  config: DeployConfig;
  pipeline: PipelineConfig;
  ask: Ask;
  env: NodeJS.ProcessEnv;
  backend?: BackendOptions;
  /** --override-gate: the reason deploys of this run pass promotion gates. */
  overrideGate?: string;
  /**
   * The runs push HEAD (plain `run`): what git said of HEAD and the clean check at the
   * run's start, which a push that is the run's first step takes instead of asking again.
   */
  headFacts?: GitFacts;
}

/** The app a pipeline is about: its push's, else its first deploy's, else the only one. */
export function pipelineApp(config: DeployConfig, pipeline: PipelineConfig): string | undefined {
  for (const s of pipeline.steps) if (s.kind === 'push') return s.app;
  for (const s of pipeline.steps) if (s.kind === 'deploy' || s.kind === 'wait') return config.groups[s.group]?.app;
  const keys = Object.keys(config.apps);
  return keys.length === 1 ? keys[0] : undefined;
}

/** The app's folder, else deploy.yaml's: where `run` steps start and whose git repository names the revision. */
export function appRoot(config: DeployConfig, app: string | undefined): string {
  return (app === undefined ? undefined : config.apps[app]?.root) ?? config.dir;
}

/** A deployment's step-end fields (SPEC §8): its group, id and status. */
function deploymentFacts(group: string, id: DeploymentId | undefined, deployStatus: string | undefined): StepFacts {
  return { group, ...(id ? idField(id) : {}), ...(deployStatus ? { 'deploy-status': deployStatus } : {}) };
}

function deployDetail(record: DeploymentRecord, revision: RevisionName, interrupted: boolean): string {
  const id = idText(record.id);
  if (interrupted && record.status.deployStatus === 'RUNNING') return `started ${id} before the interrupt; it is left to finish`;
  return `deployed ${shortName(revision)}: ${id} ${record.status.deployStatus}`;
}

// The modules behind each kind of step, loaded on first use.
// lazy: push costs 41 ms, deploy 18 ms, wait 4.6 ms; a pipeline loads only its own step kinds' (npm run bench -- imports; node -e 0: 85 ms)
const stepModules = {
  push: () => import('./push/push.js'),
  deploy: () => import('./deploy/deploy.js'),
  wait: () => import('./deploy/wait.js'),
};

/**
 * HEAD and the clean check from a run's start are its push's own only while no
 * step ran before it (a `run` step may commit, a confirm leaves time to): asked
 * at the start for a push that comes first, taken only by a push that started first.
 */
export function askFirstPush(config: DeployConfig, pipeline: PipelineConfig, facts: GitFacts): void {
  const first = pipeline.steps[0];
  const app = first?.kind === 'push' ? config.apps[first.app] : undefined;
  if (!app || app.store.kind === 'ion-dev') return;
  facts.locate(app.root);
  facts.statusLines(app.root, ownFolders(config, app));
}

export function realRunner(opts: RealRunnerOptions): StepRunner {
  const { config, backend } = opts;
  const app = pipelineApp(config, opts.pipeline);
  const common = (input: StepInput) => ({ signal: input.signal, onProgress: input.progress, ...(backend ? { backend } : {}) });
  // Start loading the pipeline's step modules now: they load while preflight
  // waits on git, instead of after it (a run with nothing to do spends its
  // time on little else than loading code and asking git).
  for (const kind of new Set(opts.pipeline.steps.map((s) => s.kind))) {
    if (kind in stepModules) stepModules[kind as keyof typeof stepModules]().catch(() => undefined);
  }
  const begun = new Set<string>();

  return async (step, input): Promise<StepOutcome> => {
    const force = input.run.force;
    const startsRun = !begun.has(input.run.id);
    begun.add(input.run.id);
    switch (step.kind) {
      case 'push': {
        const { pushApp } = await stepModules.push();
        const r = input.run.revision;
        const which = r.uname !== undefined ? { uname: r.uname } : r.named && r.rev ? { rev: r.rev } : {};
        const head = startsRun && opts.headFacts && r.uname === undefined && !r.named ? { facts: opts.headFacts } : {};
        const res = await pushApp(config, step.app, { ...which, ...head, force, onLog: (line: string) => input.log(line), ...common(input) });
        const revision: RevisionName = res.meta.uname !== undefined ? { uname: res.meta.uname } : { rev: res.meta.rev ?? res.meta.name };
        const facts: StepFacts = { ...revision, store: res.store.where, uploaded: !res.skipped && !res.registeredOnly };
        if (res.ionDev) {
          const conflicts = res.ionDev.conflicts;
          if (Object.keys(conflicts).length > 0) facts['dependency-conflicts'] = conflicts;
          return { detail: `pushed ${shortName(revision)} through ${res.store.where}`, pushed: { app: step.app, revision }, facts };
        }
        if (res.registeredOnly)
          return { detail: `registered ${shortName(revision)}, already in ${res.store.where}`, pushed: { app: step.app, revision }, facts };
        return res.skipped
          ? { skipped: true, detail: `up to date: ${shortName(revision)} is already in ${res.store.where}`, pushed: { app: step.app, revision }, facts }
          : { detail: `pushed ${shortName(revision)} (${res.meta.fileCount} files) to ${res.store.where}`, pushed: { app: step.app, revision }, facts };
      }
      case 'deploy': {
        const groupApp = config.groups[step.group]?.app;
        const revision = groupApp === undefined ? undefined : input.revisionFor(groupApp);
        if (!revision) throw preconditionError(`no revision to deploy to ${step.group}`, { hint: 'give --rev or --uname, or add a push step' });
        const { deployToGroup } = await stepModules.deploy();
        const onLog = (event: string, line: string) => input.log(line, event || undefined);
        const gate = opts.overrideGate !== undefined ? { overrideGate: opts.overrideGate } : {};
        const res = await deployToGroup(config, step.group, { revision, force, onLog, run: input.run.id, ...gate, ...common(input) });
        const { record } = res;
        const id = idText(record.id);
        const facts: StepFacts = { ...revision, ...deploymentFacts(step.group, record.id, record.status.deployStatus) };
        if (res.skipped) {
          return {
            skipped: true,
            detail: `up to date: ${step.group} already runs ${shortName(revision)} (${id})`,
            deployment: { group: step.group, id: record.id },
            facts,
          };
        }
        if (isFailedDeployStatus(record.status.deployStatus)) {
          const message = `deployment ${id} of group ${step.group} ${record.status.deployStatus}${record.status.error ? `: ${record.status.error}` : ''}`;
          throw withFacts(new DeploymentFailedError(message, record.status.failure, `see what happened: ionflow history ${step.group} --json`), facts);
        }
        if (input.signal.aborted && record.status.deployStatus === 'RUNNING') input.progress(`deployment ${id} was already started: it is left to finish`);
        return { detail: deployDetail(record, revision, input.signal.aborted), deployment: { group: step.group, id: record.id }, facts, started: true };
      }
      case 'wait': {
        const { statusCommandFor, waitForDeployment } = await stepModules.wait();
        const id = input.deploymentFor(step.group);
        const status = await waitForDeployment(config, step.group, id, {
          for: step.for,
          timeoutMs: step.timeoutMs,
          ...(step.pollMs !== undefined ? { pollMs: step.pollMs } : {}),
          onLog: (line: string) => input.log(line),
          ...common(input),
        }).catch((err: unknown) => {
          // Waiting stops; the deployment does not: say so, and how to follow it.
          if (input.signal.aborted && id)
            throw new InterruptedError(`stopped waiting; deployment ${idText(id)} continues: ${statusCommandFor(step.group, id)}`);
          throw err;
        });
        return {
          detail: `${step.group}: ${status.deployStatus} (CodeDeploy ${status.codeDeployStatus})${id ? ` ${idText(id)}` : ''}`,
          facts: deploymentFacts(step.group, id, status.deployStatus),
        };
      }
      case 'run': {
        // lazy: run-command costs 10.5 ms (the process-group runner), which no push or deploy needs (npm run bench -- imports; node -e 0: 123 ms)
        const { runCommand } = await import('./run-command.js');
        const detail = await runCommand(step, {
          pipeline: input.run.pipeline,
          runId: input.run.id,
          revision: app === undefined ? undefined : input.revisionFor(app),
          app,
          defaultCwd: appRoot(config, app),
          env: opts.env,
          signal: input.signal,
          log: input.log,
        });
        return { detail };
      }
      case 'confirm': {
        const yes = await opts.ask(step.question, input.progress, input.signal);
        if (!yes) throw stepError(`declined: ${step.question}`);
        return { detail: 'confirmed' };
      }
    }
  };
}
