// What the engine tells the world (SPEC §8). The core never prints: renderers
// (live, plain, jsonl) and the summary are built from these events only.
// `toJsonlRecord` is the jsonl schema: every field it writes is documented in
// README.md ("Events: --output jsonl"). Keys on the wire are kebab-case except
// v1's `duration_ms`; `StepFacts` is kept in wire form so it is copied as is.

import { failureMap } from '../model/failure.js';
import type { DeploymentFailure } from '../model/deployment.js';
import type { StepKind } from '../model/config.js';
import type { ErrorKind } from '../model/errors.js';

/** `not-run`: never started (something it needs failed, or the run stopped). `skipped`: up to date. */
export type StepStatus = 'succeeded' | 'failed' | 'skipped' | 'not-run';
export type RunStatus = 'succeeded' | 'failed' | 'interrupted';

export interface RunStartEvent {
  type: 'run-start';
  run: string;
  pipeline: string;
  rev?: string;
  uname?: string;
  time: string;
}

export interface StepStartEvent {
  type: 'step-start';
  run: string;
  step: string;
  kind: StepKind;
  target: string;
}

/** Live detail of a running step (upload bytes, hook events, polling status, a prompt). Not in jsonl. */
export interface StepProgressEvent {
  type: 'step-progress';
  run: string;
  step: string;
  message: string;
}

/** One line of output of a step's command: a hook's (with its lifecycle `event`) or a `run` step's. */
export interface LogEvent {
  type: 'log';
  run: string;
  step: string;
  event?: string;
  line: string;
}

/**
 * The facts a finished step reports as jsonl fields (SPEC §8), in their wire
 * names. push: `rev` or `uname`, `store`, `uploaded`. deploy and wait: `group`,
 * `execution-arn` or `deployment-id`, `deploy-status`.
 */
export interface StepFacts {
  rev?: string;
  uname?: string;
  /** Where the revision is stored: a folder, or s3://bucket/prefix/app/ */
  store?: string;
  /** false when the push was up to date and nothing was uploaded. */
  uploaded?: boolean;
  group?: string;
  'execution-arn'?: string;
  'deployment-id'?: string;
  'deploy-status'?: string;
  /** An ion-dev push: lib → the version Datomic Cloud uses instead (SPEC §16). */
  'dependency-conflicts'?: Record<string, string>;
}

/** Why a step failed. jsonl carries `message` as `error`; the rest is for the human renderers. */
export interface StepError {
  kind: ErrorKind;
  /** One line. */
  message: string;
  hint?: string;
  /** The tail of a failed command's output, shown under the step. */
  output?: string;
  /** Where a failed deployment failed (SPEC §13): jsonl `failure`. */
  failure?: DeploymentFailure;
}

export interface StepEndEvent {
  type: 'step-end';
  run: string;
  step: string;
  status: StepStatus;
  duration_ms: number;
  detail: string;
  facts?: StepFacts;
  /** Set exactly when status is `failed`. */
  error?: StepError;
}

export interface RunEndEvent {
  type: 'run-end';
  run: string;
  status: RunStatus;
  duration_ms: number;
  /** A failed run: the first failed step's one-line error, as `step <id> failed: …`. */
  error?: string;
  /** SPEC §12: the command that resumes a run that failed or was interrupted after a deployment started. */
  resume?: string;
}

export interface WatchTriggerEvent {
  type: 'watch-trigger';
  sha: string;
  subject: string;
}

export type EngineEvent = RunStartEvent | StepStartEvent | StepProgressEvent | LogEvent | StepEndEvent | RunEndEvent | WatchTriggerEvent;

export type EventSink = (event: EngineEvent) => void;

/** The SPEC §8 form of an event, or undefined for events jsonl does not carry. */
export function toJsonlRecord(event: EngineEvent): Record<string, unknown> | undefined {
  switch (event.type) {
    case 'run-start': {
      const name = event.uname !== undefined ? { uname: event.uname } : { rev: event.rev };
      return { type: event.type, run: event.run, pipeline: event.pipeline, ...name, time: event.time };
    }
    case 'step-start':
      return { type: event.type, run: event.run, step: event.step, kind: event.kind, target: event.target };
    case 'step-end':
      return {
        type: event.type,
        run: event.run,
        step: event.step,
        status: event.status,
        duration_ms: event.duration_ms,
        detail: event.detail,
        ...event.facts,
        ...(event.error ? { error: event.error.message } : {}),
        ...(event.error?.failure ? { failure: failureMap(event.error.failure) } : {}),
      };
    case 'log':
      return { type: event.type, run: event.run, step: event.step, ...(event.event !== undefined ? { event: event.event } : {}), line: event.line };
    case 'run-end':
      return {
        type: event.type,
        run: event.run,
        status: event.status,
        duration_ms: event.duration_ms,
        ...(event.error !== undefined ? { error: event.error } : {}),
        ...(event.resume ? { resume: event.resume } : {}),
      };
    case 'watch-trigger':
      return { type: event.type, sha: event.sha, subject: event.subject };
    default:
      return undefined;
  }
}
