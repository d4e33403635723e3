// `ionflow init`: a starter deploy.yaml (local store, local `dev` group, a
// `dev` pipeline, commented AWS examples) named from ion-config.edn when
// present. Never overwrites: an existing file is a refused precondition (exit 3).

import { existsSync } from 'node:fs';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { SCHEMA_FILE } from '../../config/schema-file.js';
import { CONFIG_NAME } from '../../config/discover.js';
import { DEFAULTS } from '../../config/normalise.js';
import { IonflowError } from '../../model/errors.js';
import { readIonConfig } from '../../ion/ion-config.js';
import type { CliContext } from '../context.js';
import { nextSteps } from './init-next.js';

/** A deploy.yaml key from any name: lower-case letters, digits and dashes. */
export function toKey(name: string): string {
  const key = name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+|-+$/g, '');
  return key || 'app';
}

/**
 * The schema as a path an editor can open from the new file's folder. A
 * project that installs ionflow (node_modules/ionflow) gets that copy, which
 * every teammate has after `npm ci`; otherwise this installation's own file.
 */
function schemaRef(dir: string): string {
  const relativeRef = (schema: string) => {
    const rel = relative(dir, schema);
    return rel.startsWith('.') || isAbsolute(rel) ? rel : `./${rel}`;
  };
  for (let at = dir; ; at = dirname(at)) {
    const installed = join(at, 'node_modules', 'ionflow', 'schemas', 'deploy.schema.json');
    if (existsSync(installed)) return relativeRef(installed);
    if (dirname(at) === at) break;
  }
  return relativeRef(SCHEMA_FILE);
}

export function starterConfig(app: { key: string; name?: string | undefined }, schema: string): string {
  const nameLine = app.name && app.name !== app.key ? `\n    name: ${JSON.stringify(app.name)}` : '';
  return `# yaml-language-server: $schema=${schema}
# Written by \`ionflow init\`. Check it with \`ionflow validate\`, run it with \`ionflow run dev\`.
version: 1

apps:
  ${app.key}:
    root: .
    ion-config: ${DEFAULTS.ionConfig}${nameLine}
    store:
      local: ${DEFAULTS.localStore}
      # For AWS: push to S3 and register with CodeDeploy instead.
      # s3: { bucket: datomic-code-1234, prefix: datomic/apps/, profile: staging }

groups:
  dev:
    app: ${app.key}
    local: .ionflow/groups/dev
    keep-releases: 5
  # staging:
  #   app: ${app.key}              # needs an s3 store
  #   aws:
  #     profile: staging
  #     via: step-functions        # or codedeploy
  #     state-machine: datomic-staging
  #     deployment-group: staging
  # Datomic Cloud: let Datomic's ion-dev push and deploy (the app then has
  # 'ion-dev: { creds-profile: my-aws-profile, region: us-east-1 }' instead of 'store'):
  # query:
  #   app: ${app.key}
  #   ion-dev: { group: my-query-group }   # the compute group's name

# profiles:
#   staging:
#     aws-profile: my-aws-profile
#     region: us-east-1

pipelines:
  dev:
    description: Push HEAD and install it locally
    steps:
      - push: ${app.key}
      - deploy: dev
      - wait: dev
  # release:
  #   description: Test, ship to staging
  #   steps:
  #     - run: [clojure, -X:test]
  #     - push: ${app.key}
  #     - deploy: staging
  #     - wait: { group: staging, timeout: 15m }
`;
}

/** The local store and groups live in .ionflow/: ignored, so pushes still see a clean tree. */
async function ignoreWorkFolder(dir: string): Promise<boolean> {
  const file = join(dir, '.gitignore');
  const current = existsSync(file) ? await readFile(file, 'utf8') : '';
  if (current.split(/\r?\n/).some((l) => /^\/?\.ionflow\/?$/.test(l.trim()))) return false;
  await appendFile(file, `${current === '' || current.endsWith('\n') ? '' : '\n'}.ionflow/\n`);
  return true;
}

export default async function init(ctx: CliContext, _options: Record<string, unknown>): Promise<number> {
  const target = resolve(ctx.cwd, ctx.global.config ?? CONFIG_NAME);
  const shown = ctx.global.config ?? CONFIG_NAME;
  if (existsSync(target)) {
    throw new IonflowError('precondition', `${shown} already exists; ionflow init does not overwrite it`, {
      hint: 'edit it, or move it away and run ionflow init again',
    });
  }
  const dir = dirname(target);
  const ion = await readIonConfig(resolve(dir, DEFAULTS.ionConfig), { cwd: ctx.cwd });
  const name = ion?.appName;
  const key = toKey(name ?? basename(dir));
  await writeFile(target, starterConfig({ key, name }, schemaRef(dir)), { flag: 'wx' });
  ctx.log(`wrote ${shown}: app ${key}${ion ? ` (from ${DEFAULTS.ionConfig})` : ''}, local group dev, pipeline dev`);
  const ignore = join(dir, '.gitignore');
  if (await ignoreWorkFolder(dir)) ctx.log('added .ionflow/ to .gitignore (the local store and groups live there)');
  const configFlag = ctx.global.config === undefined ? '' : ` -c ${ctx.global.config}`;
  for (const line of await nextSteps(ctx, dir, [target, ignore], configFlag)) ctx.log(line);
  return 0;
}
