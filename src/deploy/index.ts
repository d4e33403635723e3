// The deploy API used by the commands and the pipeline engine.
export {
  type DeployOptions,
  type DeployResult,
  deployToGroup,
  isDeployedAlready,
  latestIfDeployed,
  pushCommand,
  revisionNameOf,
  sameRevision,
} from './deploy.js';
export { deployMap, statusMap } from './output.js';
export { isFailed, isFinal, pollStatus, statusCommandFor, type WaitOptions, waitForDeployment } from './wait.js';
