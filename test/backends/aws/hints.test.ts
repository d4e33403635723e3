import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientSettings, createAwsClients } from '../../../src/backends/aws/clients.js';
import { HINTS, hintFor, toIonflowError } from '../../../src/backends/aws/hints.js';
import type { ProfileConfig } from '../../../src/model/config.js';
import { IonflowError } from '../../../src/model/errors.js';
import { type FakeAws, startFakeAwsEndpoint } from '../../support/fake-aws/index.js';

const named = (name: string, message = name) => Object.assign(new Error(message), { name });

describe('AWS error hints', () => {
  it.each([
    ['ExpiredToken', /expired/],
    ['ExpiredTokenException', /expired/],
    ['CredentialsProviderError', /missing or expired/],
    ['AccessDenied', /not allowed/],
    ['AccessDeniedException', /not allowed/],
    ['NoSuchBucket', /bucket does not exist/],
    ['ApplicationDoesNotExistException', /no application of that name/],
    ['DeploymentGroupDoesNotExistException', /no such deployment group/],
    ['StateMachineDoesNotExist', /state machine/],
    ['PermanentRedirect', /another region/],
    ['ThrottlingException', /throttling/],
  ])('%s has its hint', (name, hint) => {
    const err = toIonflowError(named(name, 'something went wrong'), 'doing X');
    expect(err.kind).toBe('stepFailed');
    expect(err.message).toBe(`doing X: ${name}: something went wrong`);
    expect(err.hint).toMatch(hint);
  });

  it('recognises a missing region and an unreachable endpoint by their messages and codes', () => {
    expect(hintFor(new Error('Region is missing'))).toMatch(/no AWS region/);
    expect(hintFor(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }))).toMatch(/could not be reached/);
    expect(hintFor(named('SomethingElse'))).toBeUndefined();
  });

  it('reads an answer without a code (an S3 HEAD) by its status', () => {
    const status = (name: string, code: number) => Object.assign(named(name, 'UnknownError'), { $metadata: { httpStatusCode: code } });
    const forbidden = toIonflowError(status('Unknown', 403), 'checking s3://b/k');
    expect(forbidden.message).toBe('checking s3://b/k: HTTP 403 Forbidden');
    expect(forbidden.hint).toMatch(/not allowed/);
    expect(toIonflowError(status('Unknown', 500), 'x').message).toBe('x: HTTP 500');
    // A 403 that has a code of its own is not taken for AccessDenied.
    expect(hintFor(status('RequestTimeTooSkewed', 403))).toBeUndefined();
  });

  it('keeps aborts as interruptions and IonflowErrors as they are', () => {
    expect(toIonflowError(named('AbortError'), 'x').kind).toBe('interrupted');
    const own = new IonflowError('precondition', 'busy');
    expect(toIonflowError(own, 'x')).toBe(own);
  });

  it('every hint is one line', () => {
    for (const hint of Object.values(HINTS)) expect(hint).not.toMatch(/\n/);
  });
});

describe('client settings (SPEC §10)', () => {
  const profile: ProfileConfig = { key: 'p', awsProfile: 'acme', region: 'eu-west-1', endpoints: { s3: 'http://s3.local' } };

  it('--creds-profile and --region win over the profile; the profile over the environment', () => {
    const env = { AWS_REGION: 'us-west-2', AWS_ENDPOINT_URL: 'http://all', AWS_ENDPOINT_URL_S3: 'http://s3-env' };
    expect(clientSettings('s3', profile, { env })).toEqual({ profile: 'acme', region: 'eu-west-1', endpoint: 'http://s3.local' });
    expect(clientSettings('s3', profile, { env, credsProfile: 'other', region: 'ap-south-1' })).toEqual({
      profile: 'other',
      region: 'ap-south-1',
      endpoint: 'http://s3.local',
    });
    expect(clientSettings('codedeploy', profile, { env })).toEqual({ profile: 'acme', region: 'eu-west-1', endpoint: 'http://all' });
    expect(clientSettings('sfn', undefined, { env: { AWS_DEFAULT_REGION: 'us-east-2', AWS_ENDPOINT_URL_SFN: 'http://sfn' } })).toEqual({
      region: 'us-east-2',
      endpoint: 'http://sfn',
    });
    expect(clientSettings('s3', undefined, { env: {} })).toEqual({});
  });
});

describe('hints through the real SDK and the fake endpoint', () => {
  let fake: FakeAws;
  beforeAll(async () => {
    fake = await startFakeAwsEndpoint();
    process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
    process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  });
  afterAll(() => fake.close());
  const profile = (url: string): ProfileConfig => ({ key: 't', region: 'us-east-1', endpoints: { codedeploy: url, sfn: url } });

  it('StateMachineDoesNotExist and DeploymentGroupDoesNotExistException from the wire', async () => {
    const clients = createAwsClients(profile(fake.url), { env: {} });
    fake.fault({ match: 'sfn.StartExecution', code: 'StateMachineDoesNotExist', message: 'State Machine Does Not Exist' });
    const sfnErr = await (await clients.sfn()).startExecution({ stateMachineArn: 'arn:x' }).catch((e: unknown) => e);
    expect(toIonflowError(sfnErr, 'StartExecution').hint).toMatch(/state machine/);
    fake.fault({ match: 'codedeploy.GetDeploymentGroup', code: 'DeploymentGroupDoesNotExistException' });
    const cdErr = await (await clients.codedeploy()).getDeploymentGroup({ applicationName: 'a', deploymentGroupName: 'g' }).catch((e: unknown) => e);
    const mapped = toIonflowError(cdErr, 'GetDeploymentGroup');
    expect(mapped.message).toMatch(/DeploymentGroupDoesNotExistException/);
    expect(mapped.hint).toMatch(/no such deployment group/);
  });

  it('an endpoint nobody listens on says so', async () => {
    const clients = createAwsClients({ ...profile('http://127.0.0.1:9'), key: 'dead' }, { env: {} });
    const codedeploy = await clients.codedeploy();
    const err = await codedeploy.getApplication({ applicationName: 'a' }).catch((e: unknown) => e);
    expect(toIonflowError(err, 'GetApplication').hint).toMatch(/could not be reached/);
  });
});
