// One catalogue: AWS error → a one-line `hint:` saying what to do (SPEC §9),
// and the mapping of SDK errors to IonflowError used by every aws step.

import { InterruptedError, IonflowError, isAbortError } from '../../model/errors.js';

const CREDENTIALS =
  'your AWS credentials are missing or expired: refresh them (e.g. `aws sso login --profile <p>`), or pick a profile with --creds-profile / the profile’s aws-profile';

/** Error names (and codes) → hint. Names are as the SDK reports them. */
export const HINTS: Record<string, string> = {
  ExpiredToken: CREDENTIALS,
  ExpiredTokenException: CREDENTIALS,
  TokenRefreshRequired: CREDENTIALS,
  RequestExpired: CREDENTIALS,
  CredentialsProviderError: CREDENTIALS,
  InvalidAccessKeyId: CREDENTIALS,
  InvalidClientTokenId: CREDENTIALS,
  UnrecognizedClientException: CREDENTIALS,
  SignatureDoesNotMatch: 'AWS rejected the request signature: check the secret key of the credentials in use, and the region',
  AccessDenied: 'the credentials in use are not allowed this call: check the IAM policy of the role or user (and the bucket policy)',
  AccessDeniedException: 'the credentials in use are not allowed this call: check the IAM policy of the role or user',
  NoSuchBucket: 'the bucket does not exist (or is in another account/region): check store.s3.bucket in deploy.yaml',
  ApplicationDoesNotExistException:
    'CodeDeploy has no application of that name in this region: check the app name (apps.<app>.name / :app-name) and the region',
  DeploymentGroupDoesNotExistException: 'CodeDeploy has no such deployment group for the app: check groups.<g>.aws.deployment-group and the region',
  StateMachineDoesNotExist: 'no such Step Functions state machine: check groups.<g>.aws.state-machine and the region',
  PermanentRedirect: 'the bucket is in another region: set the profile’s region (or --region) to the bucket’s region',
  AuthorizationHeaderMalformed: 'the bucket is in another region: set the profile’s region (or --region) to the bucket’s region',
  IllegalLocationConstraintException: 'the bucket is in another region: set the profile’s region (or --region) to the bucket’s region',
  RegionMissing: 'no AWS region is set: give --region, the profile’s region in deploy.yaml, or AWS_REGION',
  EndpointUnreachable: 'the AWS endpoint could not be reached: check the network, the region, and any endpoints in the profile or AWS_ENDPOINT_URL*',
  ThrottlingException: 'AWS is throttling these calls even after retries: wait a little and try again',
  Throttling: 'AWS is throttling these calls even after retries: wait a little and try again',
  TooManyRequestsException: 'AWS is throttling these calls even after retries: wait a little and try again',
  RequestLimitExceeded: 'AWS is throttling these calls even after retries: wait a little and try again',
  SlowDown: 'S3 asks to slow down even after retries: wait a little and try again',
  InternalError: 'the AWS service kept failing after the SDK’s retries: try again later (check the service status or the endpoint)',
  InternalFailure: 'the AWS service kept failing after the SDK’s retries: try again later (check the service status or the endpoint)',
  ServiceUnavailable: 'the AWS service kept failing after the SDK’s retries: try again later (check the service status or the endpoint)',
  ServiceUnavailableException: 'the AWS service kept failing after the SDK’s retries: try again later (check the service status or the endpoint)',
};

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EHOSTUNREACH', 'ETIMEDOUT', 'TimeoutError']);

/** The catalogue key for an error, or undefined when it has none. */
export function errorKey(err: unknown): string | undefined {
  const e = err as { name?: string; code?: string; Code?: string; message?: string } | null;
  if (!e) return undefined;
  for (const key of [e.name, e.Code, e.code]) if (key && Object.hasOwn(HINTS, key)) return key;
  const message = e.message ?? '';
  if (/Region is missing/i.test(message)) return 'RegionMissing';
  if ((e.code && UNREACHABLE.has(e.code)) || (e.name && UNREACHABLE.has(e.name))) return 'EndpointUnreachable';
  if (/ECONNREFUSED|ENOTFOUND|getaddrinfo|socket hang up/.test(message)) return 'EndpointUnreachable';
  // An answer without a body (S3 HEAD) has no error code, only its status.
  const bare = !e.name || e.name === 'Unknown' || e.name === 'Forbidden' || /^\d+$/.test(e.name);
  if (bare && statusOf(err) === 403) return 'AccessDenied';
  return undefined;
}

const statusOf = (err: unknown) => (err as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;

export function hintFor(err: unknown): string | undefined {
  const key = errorKey(err);
  return key ? HINTS[key] : undefined;
}

/**
 * An SDK error as the one-line `error:` of SPEC §9, with its hint. `context`
 * says what was being done ("upload s3://b/k", "StartExecution datomic-dev").
 * Aborts stay aborts; IonflowErrors pass through.
 */
export function toIonflowError(err: unknown, context: string): IonflowError {
  if (err instanceof IonflowError) return err;
  if (isAbortError(err)) return new InterruptedError();
  const e = err as { name?: string; message?: string } | null;
  const status = statusOf(err);
  // The SDK calls an answer it cannot read (no body, no code) Unknown/UnknownError: its status says more.
  if (e?.name === 'Unknown' && status) {
    return new IonflowError('stepFailed', `${context}: HTTP ${status}${status === 403 ? ' Forbidden' : ''}`, { hint: hintFor(err), cause: err });
  }
  const name = e?.name && e.name !== 'Error' ? e.name : undefined;
  const firstLine = String(e?.message ?? err).split('\n')[0];
  // S3 HEAD/GET errors without a body come back as a bare status code ("NotFound", "403").
  const message = name && firstLine && firstLine !== name ? `${name}: ${firstLine}` : (name ?? firstLine);
  return new IonflowError('stepFailed', `${context}: ${message}`, { hint: hintFor(err), cause: err });
}
