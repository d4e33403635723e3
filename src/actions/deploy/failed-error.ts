// A deployment that ended FAILED (or ABORTED, TIMED_OUT, STOPPED) as the error
// of a deploy or wait step: the one-line message, and SPEC §13's `failure`,
// which the engine puts on the step's events and the terminal shows under the
// `error:` line.

import { failureLines } from '../../model/failure.js';
import type { DeploymentFailure } from '../../model/deployment.js';
import { IonflowError } from '../../model/errors.js';

export class DeploymentFailedError extends IonflowError {
  readonly failure: DeploymentFailure | undefined;

  constructor(message: string, failure: DeploymentFailure | undefined, hint?: string) {
    super('stepFailed', message, { hint, details: failure ? failureLines(failure) : undefined });
    this.name = 'DeploymentFailedError';
    this.failure = failure;
  }
}
