// What the engine tells the world (SPEC §8). The core never prints: renderers
// (live, plain, jsonl) and the summary are built from these events only.
// The fields of SPEC §8 are exactly the jsonl schema; `info`, `error` and
// `notRun` are extra detail for the human renderers and never reach jsonl.

import { failureMap } from '../backends/failure.js';
import type { DeploymentFailure } from '../backends/types.js';
import type { StepKind } from '../config/types.js';
import type { ErrorKind } from '../errors.js';

export type StepStatus = 'succeeded' | 'failed' | 'skipped';
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

/** What a finished step did, for the summary: the revision, where it went, the deployment id. */
export interface StepInfo {
  rev?: string;
  uname?: string;
  group?: string;
  deployment?: string;
  where?: string;
}

export interface StepEndEvent {
  type: 'step-end';
  run: string;
  step: string;
  status: StepStatus;
  duration_ms: number;
  detail: string;
  /** The step never started: something it needs failed, or the run was interrupted. */
  notRun?: boolean;
  /** `failure`: where a failed deployment failed (SPEC §13); it reaches jsonl. */
  error?: { kind: ErrorKind; message: string; hint?: string; output?: string; failure?: DeploymentFailure };
  info?: StepInfo;
}

export interface RunEndEvent {
  type: 'run-end';
  run: string;
  status: RunStatus;
  duration_ms: number;
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
        ...(event.error?.failure ? { failure: failureMap(event.error.failure) } : {}),
      };
    case 'log':
      return { type: event.type, run: event.run, step: event.step, ...(event.event !== undefined ? { event: event.event } : {}), line: event.line };
    case 'run-end':
      return { type: event.type, run: event.run, status: event.status, duration_ms: event.duration_ms };
    case 'watch-trigger':
      return { type: event.type, sha: event.sha, subject: event.subject };
    default:
      return undefined;
  }
}
