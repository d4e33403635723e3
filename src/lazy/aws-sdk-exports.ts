// The AWS SDK exports ionflow uses, by package: what src/lazy/rolldown.config.mjs
// puts in the bundles, and (through the types of ./aws-sdk.ts) all that code
// may take from them, so a name left out is a type error, not a failure at
// run time in the built CLI only.

export const AWS_SDK_EXPORTS = {
  'client-s3': [
    'S3Client',
    'GetObjectCommand',
    'HeadObjectCommand',
    'PutObjectCommand',
    'DeleteObjectCommand',
    'paginateListObjectsV2',
    'AbortMultipartUploadCommand',
    'HeadBucketCommand',
  ],
  'lib-storage': ['Upload'],
  'client-codedeploy': [
    'CodeDeployClient',
    'RegisterApplicationRevisionCommand',
    'GetApplicationRevisionCommand',
    'paginateListDeploymentGroups',
    'GetDeploymentGroupCommand',
    'CreateDeploymentCommand',
    'GetDeploymentCommand',
    'paginateListDeployments',
    'GetApplicationCommand',
    'ListDeploymentTargetsCommand',
    'BatchGetDeploymentTargetsCommand',
    'ListDeploymentInstancesCommand',
    'BatchGetDeploymentInstancesCommand',
    'paginateListDeploymentInstances',
  ],
  'client-sfn': [
    'SFNClient',
    'paginateListStateMachines',
    'StartExecutionCommand',
    'DescribeExecutionCommand',
    'paginateListExecutions',
    'DescribeStateMachineCommand',
    'GetExecutionHistoryCommand',
    'paginateGetExecutionHistory',
  ],
  'client-sts': ['STSClient', 'GetCallerIdentityCommand'],
} as const;
