// CodeDeploy application revisions on the fake endpoint: what `push` (and
// `aws deploy push`) call. Shapes follow the CodeDeploy JSON protocol;
// timestamps are epoch seconds as the real service sends them.
import { AwsFault, type Handler } from './server.js';
import { type FakeApplication, type FakeAwsState, type FakeS3Location, page } from './state.js';

function application(state: FakeAwsState, input: Record<string, unknown>): FakeApplication {
  const name = String(input.applicationName ?? '');
  const app = state.applications.get(name);
  if (!app) throw new AwsFault('ApplicationDoesNotExistException', `No application found for name: ${name}`);
  return app;
}

function s3Location(input: Record<string, unknown>): FakeS3Location {
  const revision = (input.revision ?? {}) as { revisionType?: string; s3Location?: Record<string, unknown> };
  const s3 = revision.s3Location;
  if (revision.revisionType !== 'S3' || !s3?.bucket || !s3.key) {
    throw new AwsFault('InvalidRevisionException', 'the fake supports S3 revisions with a bucket and a key');
  }
  return {
    bucket: String(s3.bucket),
    key: String(s3.key),
    bundleType: String(s3.bundleType ?? ''),
    ...(s3.eTag ? { eTag: String(s3.eTag) } : {}),
    ...(s3.version ? { version: String(s3.version) } : {}),
  };
}

const sameLocation = (a: FakeS3Location, b: FakeS3Location) => a.bucket === b.bucket && a.key === b.key && a.eTag === b.eTag && a.version === b.version;

const seconds = (ms: number) => ms / 1000;

export const handlers: Record<string, Handler<FakeAwsState>> = {
  'codedeploy.RegisterApplicationRevision': (input, state) => {
    const app = application(state, input);
    const location = s3Location(input);
    const description = typeof input.description === 'string' ? input.description : undefined;
    const existing = app.revisions.find((r) => sameLocation(r.location, location));
    if (existing) {
      existing.registeredAt = Date.now();
      existing.description = description;
    } else app.revisions.push({ location, registeredAt: Date.now(), description });
    return {};
  },

  'codedeploy.GetApplicationRevision': (input, state) => {
    const app = application(state, input);
    const location = s3Location(input);
    const found = app.revisions.find((r) => sameLocation(r.location, location));
    if (!found) throw new AwsFault('RevisionDoesNotExistException', 'No application revision found');
    return {
      applicationName: app.name,
      revision: { revisionType: 'S3', s3Location: found.location },
      revisionInfo: {
        description: found.description,
        deploymentGroups: [],
        registerTime: seconds(found.registeredAt),
        firstUsedTime: seconds(found.registeredAt),
        lastUsedTime: seconds(found.registeredAt),
      },
    };
  },

  'codedeploy.ListApplicationRevisions': (input, state) => ({
    revisions: application(state, input).revisions.map((r) => ({ revisionType: 'S3', s3Location: r.location })),
  }),

  'codedeploy.ListDeploymentGroups': (input, state) => {
    const app = application(state, input);
    const { items, nextToken } = page(state, [...app.deploymentGroups.keys()].sort(), input);
    return { applicationName: app.name, deploymentGroups: items, ...(nextToken ? { nextToken } : {}) };
  },

  'codedeploy.GetDeploymentGroup': (input, state) => {
    const app = application(state, input);
    const name = String(input.deploymentGroupName ?? '');
    if (!app.deploymentGroups.has(name)) throw new AwsFault('DeploymentGroupDoesNotExistException', `No Deployment Group found for name: ${name}`);
    return {
      deploymentGroupInfo: {
        applicationName: app.name,
        deploymentGroupId: `dg-${app.name}-${name}`,
        deploymentGroupName: name,
        deploymentConfigName: 'CodeDeployDefault.OneAtATime',
        serviceRoleArn: `arn:aws:iam::${state.account}:role/codedeploy`,
        computePlatform: 'Server',
      },
    };
  },

  'codedeploy.GetApplication': (input, state) => {
    const app = application(state, input);
    return {
      application: {
        applicationId: `app-${app.name}`,
        applicationName: app.name,
        createTime: seconds(Date.now()),
        linkedToGitHub: false,
        computePlatform: 'Server',
      },
    };
  },
};
