// The aws half of preflight (SPEC §14): who each profile is (STS
// GetCallerIdentity), whether each bucket exists and in which region
// (HeadBucket), whether each group's CodeDeploy application and deployment
// group exist (GetApplication, GetDeploymentGroup) and its state machine
// resolves (ListStateMachines as deploy does, then DescribeStateMachine).
// Each failure says how to fix it; an AccessDenied names the IAM action.

import type { AwsClients } from '../../backends/aws/clients.js';
import { HINTS, errorKey } from '../../backends/aws/hints.js';
import { resolveStateMachine } from '../../backends/aws/step-functions.js';
import type { AppConfig, AwsGroupConfig } from '../../model/config.js';
import { IonflowError } from '../../model/errors.js';
import { type CheckResult, failed, firstLine, ok, warning } from './results.js';

type AwsError = {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string | undefined> };
};

const status = (err: unknown) => (err as AwsError | null)?.$metadata?.httpStatusCode;
const nameOf = (err: unknown) => {
  const e = err as AwsError | null;
  return e?.name ?? e?.Code ?? e?.code ?? '';
};

/** The region a client resolves to (profile, --region or the standard variables). */
export async function regionOf(client: { config: { region?: unknown } }): Promise<string | undefined> {
  const region = client.config.region;
  try {
    const value = typeof region === 'function' ? await (region as () => Promise<string>)() : region;
    return typeof value === 'string' && value ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * An AWS error as a check result: NotImplemented (an S3-compatible store or
 * emulator without that call) is a warning; AccessDenied names the action to
 * allow; anything else gets the catalogue's hint.
 */
export function awsProblem(subject: string, err: unknown, action: string, profile: string): CheckResult {
  if (err instanceof IonflowError) return failed(subject, err.message, err.hint);
  const name = nameOf(err);
  if (name === 'NotImplemented' || status(err) === 501) {
    return warning(subject, `the endpoint cannot answer ${action} (NotImplemented), so this was not checked`);
  }
  const key = errorKey(err);
  if (key === 'AccessDenied' || key === 'AccessDeniedException' || name === 'AuthorizationError') {
    return failed(subject, `not allowed to call ${action}`, `allow ${action} in the IAM policy of ${profile}’s identity`);
  }
  const message = name && name !== 'Error' && !firstLine(err).startsWith(name) ? `${name}: ${firstLine(err)}` : firstLine(err);
  return failed(subject, `${action}: ${message}`, key ? HINTS[key] : undefined);
}

/**
 * The profile's clients with the lookups that several groups share asked
 * once: the application (GetApplication), its deployment groups, the state
 * machines (ListStateMachines). Ten groups of one app make 24 calls, not 42.
 */
export function sharedLookups(clients: AwsClients): AwsClients {
  const cache = new Map<string, unknown>();
  const remember = <T>(key: string, make: () => T): T => {
    if (!cache.has(key)) cache.set(key, make());
    return cache.get(key) as T;
  };
  const once =
    <I, O>(name: string, call: (input: I, signal?: AbortSignal) => Promise<O>) =>
    (input: I, signal?: AbortSignal): Promise<O> =>
      remember(`${name} ${JSON.stringify(input)}`, () => call(input, signal));
  const oncePages =
    <I, O>(name: string, pages: (input: I, signal?: AbortSignal) => AsyncIterable<O>) =>
    (input: I, signal?: AbortSignal): AsyncIterable<O> =>
      remember(`${name} ${JSON.stringify(input)}`, () => replayable(pages(input, signal)))();
  return {
    ...clients,
    codedeploy: async () => {
      const cd = await clients.codedeploy();
      return {
        ...cd,
        getApplication: once('GetApplication', cd.getApplication),
        listDeploymentGroupsPages: oncePages('ListDeploymentGroups', cd.listDeploymentGroupsPages),
      };
    },
    sfn: async () => {
      const sfn = await clients.sfn();
      return { ...sfn, listStateMachinesPages: oncePages('ListStateMachines', sfn.listStateMachinesPages) };
    },
  };
}

/**
 * The pages of `source` for any number of readers: each page is asked for
 * once, when the first reader gets to it (a reader that stops early leaves
 * the rest unasked, as with a paginator of its own), and replayed to the others.
 */
function replayable<O>(source: AsyncIterable<O>): () => AsyncIterable<O> {
  const iterator = source[Symbol.asyncIterator]();
  const steps: Promise<IteratorResult<O>>[] = [];
  const step = (i: number): Promise<IteratorResult<O>> => {
    steps[i] ??= i === 0 ? iterator.next() : step(i - 1).then((before) => (before.done ? before : iterator.next()));
    return steps[i];
  };
  return async function* () {
    for (let i = 0; ; i++) {
      const next = await step(i);
      if (next.done) return;
      yield next.value;
    }
  };
}

/** The first page only: enough names for a hint. */
async function firstPage<O>(pages: AsyncIterable<O>): Promise<O | undefined> {
  for await (const page of pages) return page;
  return undefined;
}

const profileWord = (profile: string | undefined) => (profile ? `profile ${profile}` : 'the default credentials');

/**
 * Who the profile is. `storeOnly`: the profile only serves an S3-compatible
 * store (its own s3 endpoint, none for STS), whose keys AWS STS may well not
 * know: a failure there is a warning, the bucket check says whether the
 * store answers.
 */
export async function checkIdentity(clients: AwsClients, profile: string | undefined, storeOnly = false): Promise<CheckResult> {
  const subject = profile ? `profile ${profile}` : 'default AWS credentials';
  try {
    const sts = await clients.sts();
    const [who, region] = await Promise.all([sts.getCallerIdentity({}), regionOf(sts.client)]);
    return ok(subject, `${who.Arn ?? '?'} (account ${who.Account ?? '?'}) in ${region ?? 'no region'}`);
  } catch (err) {
    const problem = awsProblem(subject, err, 'sts:GetCallerIdentity', profileWord(profile));
    if (!storeOnly || problem.status !== 'failed') return problem;
    return warning(subject, `${problem.message} (it serves an S3-compatible store only)`, 'give the profile an sts endpoint to check its identity');
  }
}

export async function checkBucket(clients: AwsClients, app: AppConfig, profile: string | undefined): Promise<CheckResult> {
  if (app.store.kind !== 's3') throw new Error('checkBucket: not an s3 store');
  const bucket = app.store.bucket;
  const subject = `bucket ${bucket} (store of ${app.key})`;
  const s3 = await clients.s3();
  const region = await regionOf(s3.client);
  const wrongRegion = (where: string) =>
    failed(
      subject,
      `the bucket is in ${where}, but ${profileWord(profile)} uses ${region ?? 'no region'}`,
      `set the profile’s region (or --region) to ${where}`,
    );
  try {
    const out = await s3.headBucket({ Bucket: bucket });
    if (out.BucketRegion && region && out.BucketRegion !== region) return wrongRegion(out.BucketRegion);
    return ok(subject, out.BucketRegion ? `exists, in ${out.BucketRegion}` : 'exists (the store does not report its region)');
  } catch (err) {
    // A bucket in another region answers 301 and says where it is.
    const where = (err as AwsError).$response?.headers?.['x-amz-bucket-region'];
    if (where && where !== region) return wrongRegion(where);
    if (status(err) === 404 || nameOf(err) === 'NotFound' || nameOf(err) === 'NoSuchBucket') {
      return failed(subject, `no bucket ${bucket}${region ? ` in ${region}` : ''}`, `create it, or set apps.${app.key}.store.s3.bucket to an existing bucket`);
    }
    if (status(err) === 403)
      return failed(
        subject,
        'not allowed to call s3:ListBucket (HeadBucket)',
        `allow s3:ListBucket on arn:aws:s3:::${bucket} for ${profileWord(profile)}’s identity`,
      );
    return awsProblem(subject, err, 's3:ListBucket (HeadBucket)', profileWord(profile));
  }
}

export async function checkDeploymentGroup(clients: AwsClients, group: AwsGroupConfig, appName: string): Promise<CheckResult> {
  const subject = `group ${group.key} (CodeDeploy ${appName}/${group.deploymentGroup})`;
  const profile = profileWord(group.profile);
  // Making the client can fail too (an unknown aws-profile): that is this group's finding.
  let cd: Awaited<ReturnType<AwsClients['codedeploy']>>;
  let region = 'this region';
  try {
    cd = await clients.codedeploy();
    region = (await regionOf(cd.client)) ?? 'this region';
    await cd.getApplication({ applicationName: appName });
  } catch (err) {
    if (nameOf(err) === 'ApplicationDoesNotExistException') {
      return failed(
        subject,
        `CodeDeploy has no application ${appName} in ${region}`,
        `check the app name (apps.${group.app}.name or :app-name) and the region of ${profile}`,
      );
    }
    return awsProblem(subject, err, 'codedeploy:GetApplication', profile);
  }
  try {
    await cd.getDeploymentGroup({ applicationName: appName, deploymentGroupName: group.deploymentGroup });
    return ok(subject, `exists in ${region}`);
  } catch (err) {
    if (nameOf(err) !== 'DeploymentGroupDoesNotExistException') return awsProblem(subject, err, 'codedeploy:GetDeploymentGroup', profile);
    const known = await firstPage(cd.listDeploymentGroupsPages({ applicationName: appName }))
      .then((out) => out?.deploymentGroups ?? [])
      .catch(() => []);
    return failed(
      subject,
      `application ${appName} has no deployment group ${group.deploymentGroup} in ${region}`,
      `set groups.${group.key}.aws.deployment-group${known.length ? ` to one of: ${known.join(', ')}` : ' to an existing deployment group'}`,
    );
  }
}

export async function checkStateMachine(clients: AwsClients, group: AwsGroupConfig): Promise<CheckResult> {
  const subject = `group ${group.key} (state machine ${group.stateMachine})`;
  const profile = profileWord(group.profile);
  let sfn: Awaited<ReturnType<AwsClients['sfn']>>;
  let arn: string;
  try {
    sfn = await clients.sfn();
    arn = await resolveStateMachine(sfn, group.stateMachine, group.key);
  } catch (err) {
    // resolveStateMachine's own error when no state machine has the name; else what AWS said.
    const cause = err instanceof IonflowError && err.cause !== undefined ? err.cause : err;
    return awsProblem(subject, cause, 'states:ListStateMachines', profile);
  }
  try {
    const out = await sfn.describeStateMachine({ stateMachineArn: arn });
    return ok(subject, `${out.stateMachineArn ?? arn}${out.status && out.status !== 'ACTIVE' ? ` (${out.status})` : ''}`);
  } catch (err) {
    if (nameOf(err) === 'StateMachineDoesNotExist') {
      return failed(subject, `no state machine ${arn}`, `check groups.${group.key}.aws.state-machine and the region of ${profile}`);
    }
    return awsProblem(subject, err, 'states:DescribeStateMachine', profile);
  }
}
