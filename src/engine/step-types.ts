// The seam between the engine and the work: the engine schedules steps and
// threads the revision and deployment ids between them; a StepRunner does one
// step. The real one (actions/step-runner.ts) delegates to the use cases; tests
// inject fakes. Nothing here imports a back end (STYLE.md #2, #7).

import type { DeploymentId } from '../model/deployment.js';
import type { RevisionName } from '../model/revision.js';
import type { StepConfig } from '../model/config.js';
import type { StepFacts } from './events.js';

/** What the whole run is about (SPEC §3: the revision flows from push to deploy). */
export interface RunRevision {
  /** The commit (HEAD, --rev, or the watched commit); undefined with --uname. */
  rev?: string;
  uname?: string;
  /**
   * True when the commit was named (--rev, or watch): push it as it is in git.
   * False for plain `run`: push HEAD, which requires a clean tree (SPEC §5).
   */
  named: boolean;
}

export interface RunInfo {
  id: string;
  pipeline: string;
  revision: RunRevision;
  force: boolean;
}

export interface StepInput {
  run: RunInfo;
  signal: AbortSignal;
  /** Live detail for renderers (never printed by the runner itself). */
  progress(message: string): void;
  /** A line of the step's command output (a hook's carries its lifecycle event). */
  log(line: string, event?: string): void;
  /** The revision a deploy of `app` uses: pushed in this run, else the run's (SPEC §3). */
  revisionFor(app: string): RevisionName | undefined;
  /** The deployment this run started (or found up to date) for a group. */
  deploymentFor(group: string): DeploymentId | undefined;
}

export interface StepOutcome {
  /** Up to date (make-style): nothing was done. */
  skipped?: boolean;
  /** One line: what happened, e.g. "pushed 0f3c1a2 (12 files)" or "up to date: 0f3c1a2 already deployed". */
  detail: string;
  /** push: what this run now holds for the app. */
  pushed?: { app: string; revision: RevisionName };
  /** deploy: the deployment to wait on. */
  deployment?: { group: string; id: DeploymentId };
  /** What the step did, as step-end fields (SPEC §8). */
  facts?: StepFacts;
  /** deploy: this run started (or, resumed, took over) a deployment that was still going. */
  started?: boolean;
}

/** A failed step's error that still reports facts (a FAILED deployment's id and status) on its step-end. */
export function withFacts<E extends Error>(err: E, facts: StepFacts): E {
  return Object.assign(err, { stepFacts: facts });
}

export function factsOf(err: unknown): StepFacts | undefined {
  return (err as { stepFacts?: StepFacts } | null | undefined)?.stepFacts;
}

export type StepRunner = (step: StepConfig, input: StepInput) => Promise<StepOutcome>;

/** What a step acts on, as step-start's `target` (SPEC §8): the same words `plan` shows. */
export { stepTarget } from '../graph/plan.js';
