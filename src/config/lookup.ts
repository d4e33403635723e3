// Looking a key up in the loaded deploy.yaml, for commands and use cases that
// take the key from the command line: the entry, or a usage error (exit 2)
// that names the keys there are.

import type { AppConfig, DeployConfig, PipelineConfig } from '../model/config.js';
import { usageError } from '../model/errors.js';
import { unknownNameMessage } from '../text/did-you-mean.js';

/** The app of this key. */
export function appOrFail(config: DeployConfig, appKey: string): AppConfig {
  const app = config.apps[appKey];
  if (!app) throw usageError(unknownNameMessage('app', appKey, Object.keys(config.apps)));
  return app;
}

/** The pipeline of this name (run, watch, plan and check all word a wrong one alike). */
export function pipelineOrFail(config: DeployConfig, name: string): PipelineConfig {
  const pipeline = config.pipelines[name];
  if (pipeline) return pipeline;
  throw usageError(unknownNameMessage('pipeline', name, Object.keys(config.pipelines)), { hint: 'see them with: ionflow list' });
}
