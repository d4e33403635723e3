// The config stage: find deploy.yaml, parse it with positions, check the
// version first, then the schema and the semantic checks and every referenced
// ion-config.edn, all problems at once; only a clean config is normalised.

import { dirname } from 'node:path';
import { checkIonConfig, displayPath, type IonConfig, lambdaNameProblems, readIonConfigText } from '../ion/ion-config.js';
import { argvAsWritten } from './argv-source.js';
import { findConfig } from './discover.js';
import { nameProblems } from './names.js';
import { appPaths, keyed, normalise } from './normalise.js';
import { pathProblems } from './paths.js';
import { formatProblem, MAX_SHOWN_PROBLEMS, type Problem, problemsError, sortProblems } from '../model/problem.js';
import { readConfigFile } from '../fs/read-limited.js';
import { schemaProblems } from './schema-check.js';
import { semanticProblems } from './semantic.js';
import { isRecord } from './steps.js';
import type { DeployConfig } from '../model/config.js';
import { parseYamlSource, type YamlSource } from './yaml-source.js';

export interface LoadOptions {
  /** -c/--config as given, relative to cwd. */
  config?: string | undefined;
  cwd: string;
  /** Check that the ion-config.edn symbols exist in the app's Clojure source (SPEC §15): validate, run and push. */
  resolveSymbols?: boolean;
  /** Where warnings go (printed, never failing); without it they are dropped. */
  warn?: (line: string) => void;
}

export interface LoadedConfig {
  config: DeployConfig;
  /** The checked ion-config.edn of each app that has one, by app key. */
  ionConfigs: Record<string, IonConfig>;
}

export async function loadConfig(opts: LoadOptions): Promise<DeployConfig> {
  return (await loadConfigWithIon(opts)).config;
}

export async function loadConfigWithIon(opts: LoadOptions): Promise<LoadedConfig> {
  const found = findConfig(opts);
  const text = (await readConfigFile(found.file, found.display)) as string;
  const src = parseYamlSource(found.display, text);
  const fail = (problems: Problem[]) => problemsError(problems, found.display);
  if (src.problems.length) throw fail(src.problems);

  const versionProblem = checkVersion(src);
  if (versionProblem) throw fail([versionProblem]);

  const problems = [...schemaProblems(src), ...semanticProblems(src), ...nameProblems(src)];
  const dir = dirname(found.file);
  const paths = pathProblems(src, dir);
  problems.push(...paths.problems);
  const { ionConfigs, problems: ionProblems } = await readIonConfigs(src.value as Record<string, unknown>, dir, opts, paths.outside);
  const warnings = ionProblems.filter((p) => p.severity === 'warning');
  const sortedWarnings = sortProblems(warnings);
  for (const line of sortedWarnings.slice(0, MAX_SHOWN_PROBLEMS).flatMap(formatProblem)) opts.warn?.(line);
  const moreWarnings = sortedWarnings.length - MAX_SHOWN_PROBLEMS;
  if (moreWarnings > 0) opts.warn?.(`... and ${moreWarnings} more warning${moreWarnings === 1 ? '' : 's'} not shown`);
  problems.push(...ionProblems.filter((p) => p.severity !== 'warning'));
  if (problems.length) throw fail(problems);

  const appNames = Object.assign(keyed<string | undefined>(), Object.fromEntries(Object.entries(ionConfigs).map(([k, c]) => [k, c.appName])));
  const posOf = (path: (string | number)[]) => {
    const { file, line, col } = src.at(path, '');
    return { file, line, col };
  };
  argvAsWritten(src, src.value as Record<string, unknown>);
  const config = normalise(src.value as Record<string, unknown>, found.file, dir, appNames, posOf);
  return { config, ionConfigs };
}

/** SPEC §3: `version` is checked before anything else, since other versions mean other schemas. */
function checkVersion(src: YamlSource): Problem | undefined {
  const root = src.value;
  if (!isRecord(root)) return src.at([], `${src.file} must be a map with 'version: 1' at the top`);
  if (!('version' in root)) return src.at([], `missing 'version: 1' (the deploy.yaml format version)`);
  if (root.version !== 1) {
    return src.at(['version'], `unsupported version ${JSON.stringify(root.version)}; this ionflow reads version 1`);
  }
  return undefined;
}

/** Every app's ion-config.edn, but those outside the repository (`outside`), which are never read. */
async function readIonConfigs(raw: Record<string, unknown>, dir: string, opts: LoadOptions, outside: Set<string>) {
  const apps = isRecord(raw.apps) ? raw.apps : {};
  const groups = isRecord(raw.groups) ? raw.groups : {};
  const ionConfigs = keyed<IonConfig>();
  const problems: Problem[] = [];
  await Promise.all(
    Object.entries(apps).map(async ([key, app]) => {
      if (!isRecord(app) || outside.has(key)) return;
      const { root, ionConfig } = appPaths(dir, app);
      const display = displayPath(ionConfig, opts.cwd);
      const text = await readIonConfigText(ionConfig, display);
      if (text === undefined) return;
      const checked = checkIonConfig(text, ionConfig, display);
      problems.push(...checked.problems);
      // Lambdas are named <group>-<name>: the CodeDeploy group key, or an ion-dev compute group's name.
      const awsGroups = Object.entries(groups).flatMap(([k, g]) => {
        if (!isRecord(g) || g.app !== key) return [];
        if (isRecord(g['ion-dev'])) return [typeof g['ion-dev'].group === 'string' ? g['ion-dev'].group : k];
        return isRecord(g.aws) ? [k] : [];
      });
      problems.push(...lambdaNameProblems(checked.lambdas, awsGroups, display));
      if (checked.config) ionConfigs[key] = checked.config;
      if (opts.resolveSymbols) {
        // lazy: resolve-symbols costs 4.4 ms; list, plan, status and history do not resolve symbols (npm run bench -- imports; node -e 0: 85 ms)
        const { symbolProblems } = await import('../ion/resolve-symbols.js');
        const refs = checked.symbols ?? [];
        problems.push(...(await symbolProblems({ refs, root, ionText: text, ionDisplay: display, display: (p) => displayPath(p, opts.cwd) })));
      }
    }),
  );
  return { ionConfigs, problems };
}
