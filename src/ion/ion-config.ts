// ion-config.edn (SPEC §4): read with edn-data, checked against the shape
// Datomic Ions expect, every problem placed at file:line:col by the
// structural reader (edn-reader.ts).

import { relative } from 'node:path';
import { parseEDNString } from '../lazy/edn.js';
import type { EntryPoints } from '../model/revision.js';
import { isSafeName, NAME_RULE } from '../model/names.js';
import { readConfigFile } from '../fs/read-limited.js';
import { problemsError, type Problem } from '../model/problem.js';
import { EdnSyntaxError, type Form, isInteger, isKeyword, isQualifiedSymbol, isString, linePos, mapPairs, readEdnForms } from './edn-reader.js';
import type { SymbolRef } from './resolve-symbols.js';

export interface IonConfig {
  /** Absolute path of the file. */
  file: string;
  appName?: string;
  entryPoints: EntryPoints;
  /** Lambda names with where they are written, for the `<group>-<lambda>` length rule. */
  lambdaNames: { name: string; offset: number }[];
  text: string;
}

export interface IonConfigCheck {
  config?: IonConfig;
  problems: Problem[];
  /** Lambda names found, also when other problems leave no config: the 64-character rule is checked regardless. */
  lambdas: Pick<IonConfig, 'lambdaNames' | 'text'>;
  /** The qualified symbols that must resolve (SPEC §15), also when other problems leave no config. */
  symbols?: SymbolRef[];
}

/** Datomic names a lambda `<group>-<lambda-name>`; AWS limits function names to 64 characters. */
export const MAX_LAMBDA_NAME = 64;

const LAMBDA_KEYS = new Set([':fn', ':description', ':timeout-secs', ':concurrency-limit', ':integration']);
const HTTP_DIRECT_INTS = [':pending-ops-queue-length', ':processing-concurrency', ':pending-ops-exceeded-code'];
const HTTP_DIRECT_KEYS = new Set([':handler-fn', ':pending-ops-exceeded-message', ...HTTP_DIRECT_INTS]);

/** AWS Lambda function names: letters, digits, - and _. */
const LAMBDA_NAME = /^[A-Za-z0-9_-]+$/;

const ednString = (f: Form): string => parseEDNString(f.text) as string;
const positive = (f: Form): boolean => isInteger(f) && Number.parseInt(f.text, 10) > 0;

/** Check the text of an ion-config.edn. `display` is the file name shown in messages. */
export function checkIonConfig(text: string, file: string, display: string): IonConfigCheck {
  const problems: Problem[] = [];
  const at = (offset: number, message: string) => problems.push({ file: display, ...linePos(text, offset), message, source: text });
  let forms: Form[];
  try {
    forms = readEdnForms(text);
  } catch (err) {
    if (!(err instanceof EdnSyntaxError)) throw err;
    at(err.offset, `invalid EDN: ${err.message}`);
    return { problems, lambdas: { lambdaNames: [], text } };
  }
  const top = forms[0];
  if (!top) {
    at(0, 'ion-config.edn is empty; it must hold a map');
    return { problems, lambdas: { lambdaNames: [], text } };
  }
  if (forms.length > 1) at(forms[1]!.start, 'unexpected form after the ion-config map (the file holds one map)');
  if (top.kind !== 'map') {
    at(top.start, 'ion-config.edn must hold a map');
    return { problems, lambdas: { lambdaNames: [], text } };
  }
  try {
    parseEDNString(text);
  } catch (err) {
    at(top.start, `invalid EDN: ${(err as Error).message}`);
    return { problems, lambdas: { lambdaNames: [], text } };
  }

  const entryPoints: EntryPoints = {};
  const lambdaNames: IonConfig['lambdaNames'] = [];
  const symbols: SymbolRef[] = [];
  const symbol = (f: Form | undefined, wildcard = false) => {
    if (f && isQualifiedSymbol(f)) symbols.push({ symbol: f.text, offset: f.start, wildcard });
  };
  const seen = new Map<string, Form>();
  const duplicates = (pairs: [Form, Form][]) => {
    const keys = new Set<string>();
    for (const [k] of pairs) {
      if (keys.has(k.text)) at(k.start, `duplicate key ${k.text}`);
      keys.add(k.text);
    }
  };
  const topPairs = mapPairs(top);
  duplicates(topPairs);
  for (const [k, v] of topPairs) seen.set(k.text, v);

  const appName = seen.get(':app-name');
  if (appName) {
    if (!isString(appName) || ednString(appName).trim() === '') at(appName.start, ':app-name must be a non-empty string');
    // It names the store's folder or S3 prefix of the app (SPEC §17).
    else if (!isSafeName(ednString(appName))) at(appName.start, `:app-name ${appName.text} is not a valid name: use ${NAME_RULE}`);
    else entryPoints.appName = ednString(appName);
  }

  for (const key of [':allow', ':xforms']) {
    const v = seen.get(key);
    if (!v) continue;
    if (v.kind !== 'vector') {
      at(v.start, `${key} must be a vector of fully qualified symbols`);
      continue;
    }
    for (const item of v.items) symbol(item, key === ':allow');
    const bad = v.items.find((item) => !isQualifiedSymbol(item));
    if (bad) at(bad.start, `${key} must hold fully qualified symbols (like my.ns/my-fn), found ${bad.text}`);
    else if (key === ':allow') entryPoints.allow = v.items.map((item) => item.text);
  }

  const lambdas = seen.get(':lambdas');
  if (lambdas && lambdas.kind !== 'map') at(lambdas.start, ':lambdas must be a map of keyword to lambda map');
  else if (lambdas) {
    entryPoints.lambdas = {};
    duplicates(mapPairs(lambdas));
    for (const [name, spec] of mapPairs(lambdas)) {
      if (!isKeyword(name)) {
        at(name.start, `lambda names must be keywords, found ${name.text}`);
        continue;
      }
      const key = name.text.slice(1);
      const badChar = [...key].find((c) => !LAMBDA_NAME.test(c));
      if (badChar)
        at(name.start, `lambda name ${name.text} cannot be part of an AWS Lambda function name: use letters, digits, - and _ only (found '${badChar}')`);
      if (spec.kind === 'map') symbol(mapPairs(spec).find(([k]) => k.text === ':fn')?.[1]);
      const lambda = checkLambda(name, spec, at);
      if (lambda) entryPoints.lambdas[name.text.slice(1)] = lambda;
      lambdaNames.push({ name: name.text.slice(1), offset: name.start });
    }
  }

  const http = seen.get(':http-direct');
  if (http && http.kind !== 'map') at(http.start, ':http-direct must be a map with :handler-fn');
  else if (http) {
    const pairs = mapPairs(http);
    duplicates(pairs);
    const handler = pairs.find(([k]) => k.text === ':handler-fn')?.[1];
    symbol(handler);
    if (!handler) at(http.start, ':http-direct needs :handler-fn (a fully qualified symbol)');
    else if (!isQualifiedSymbol(handler)) at(handler.start, `:handler-fn must be a fully qualified symbol, found ${handler.text}`);
    else entryPoints.httpDirect = { handlerFn: handler.text };
    for (const [k, v] of pairs) {
      if (!HTTP_DIRECT_KEYS.has(k.text)) at(k.start, `unknown :http-direct key ${k.text} (allowed: ${[...HTTP_DIRECT_KEYS].join(' ')})`);
      else if (HTTP_DIRECT_INTS.includes(k.text) && !isInteger(v)) at(v.start, `${k.text} must be an integer, found ${v.text}`);
      else if (k.text === ':pending-ops-exceeded-message' && !isString(v)) at(v.start, `${k.text} must be a string`);
    }
  }

  if (problems.length) return { problems, lambdas: { lambdaNames, text }, symbols };
  return {
    problems,
    lambdas: { lambdaNames, text },
    symbols,
    config: { file, ...(entryPoints.appName ? { appName: entryPoints.appName } : {}), entryPoints, lambdaNames, text },
  };
}

function checkLambda(name: Form, spec: Form, at: (offset: number, message: string) => void): { fn: string; description?: string } | undefined {
  const n = name.text;
  if (spec.kind !== 'map') {
    at(spec.start, `lambda ${n} must be a map with :fn`);
    return undefined;
  }
  const pairs = mapPairs(spec);
  const get = (key: string) => pairs.find(([k]) => k.text === key)?.[1];
  const before = { fn: get(':fn'), description: get(':description') };
  let ok = true;
  const bad = (f: Form, message: string) => {
    at(f.start, message);
    ok = false;
  };
  if (!before.fn) bad(spec, `lambda ${n} needs :fn (a fully qualified symbol)`);
  else if (!isQualifiedSymbol(before.fn)) bad(before.fn, `:fn of lambda ${n} must be a fully qualified symbol, found ${before.fn.text}`);
  for (const [k, v] of pairs) {
    if (!LAMBDA_KEYS.has(k.text)) bad(k, `unknown key ${k.text} in lambda ${n} (allowed: ${[...LAMBDA_KEYS].join(' ')})`);
    else if (k.text === ':description' && !isString(v)) bad(v, `:description of lambda ${n} must be a string`);
    else if (k.text === ':timeout-secs' && !positive(v)) bad(v, `:timeout-secs of lambda ${n} must be a positive integer, found ${v.text}`);
    else if (k.text === ':concurrency-limit' && !(positive(v) || v.text === ':none')) {
      bad(v, `:concurrency-limit of lambda ${n} must be a positive integer or :none, found ${v.text}`);
    } else if (k.text === ':integration' && v.text !== ':api-gateway/proxy') {
      bad(v, `:integration of lambda ${n} must be :api-gateway/proxy, found ${v.text}`);
    }
  }
  if (!ok || !before.fn) return undefined;
  return { fn: before.fn.text, ...(before.description ? { description: ednString(before.description) } : {}) };
}

/** SPEC §4: for every aws group of the app, `<group>-<lambda-name>` is at most 64 characters. */
export function lambdaNameProblems(config: Pick<IonConfig, 'lambdaNames' | 'text'>, awsGroups: string[], display: string): Problem[] {
  const problems: Problem[] = [];
  for (const { name, offset } of config.lambdaNames) {
    for (const group of awsGroups) {
      const full = `${group}-${name}`;
      if (full.length > MAX_LAMBDA_NAME) {
        problems.push({
          file: display,
          ...linePos(config.text, offset),
          message: `lambda name '${full}' of group '${group}' is ${full.length} characters; at most ${MAX_LAMBDA_NAME} are allowed`,
          source: config.text,
        });
      }
    }
  }
  return problems;
}

/** The checked ion-config.edn, or undefined when the file does not exist. Problems throw a usage error (exit 2). */
export async function readIonConfig(path: string, options: { cwd?: string; awsGroups?: string[] } = {}): Promise<IonConfig | undefined> {
  const text = await readIonConfigText(path);
  if (text === undefined) return undefined;
  const display = displayPath(path, options.cwd ?? process.cwd());
  const { config, problems, lambdas } = checkIonConfig(text, path, display);
  if (options.awsGroups) problems.push(...lambdaNameProblems(lambdas, options.awsGroups, display));
  if (problems.length || !config) throw problemsError(problems, display);
  return config;
}

/** The file's text (a regular file of at most 1 MiB), or undefined when it does not exist. */
export function readIonConfigText(path: string, display = path): Promise<string | undefined> {
  return readConfigFile(path, display, { optional: true });
}

/** A path as the user would type it from `cwd`. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel === '' ? path : rel;
}
