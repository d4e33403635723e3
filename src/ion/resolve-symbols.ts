// SPEC §15: every symbol ion-config.edn names must exist. A static read of
// the app's Clojure source, no JVM: the namespace's file under the source
// paths (my-app.core → my_app/core.clj, else .cljc) must declare that
// namespace and define the name at top level. What cannot be known for sure
// (a namespace from a dependency, a file this reader cannot read) is a
// warning; what Clojure would certainly fail to load is an error.

import { readFile, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Problem } from '../model/problem.js';
import { declarations, type FileDeclarations } from './clojure-ns.js';
import { CljSyntaxError, readClojureForms } from './clojure-reader.js';
import { linePos } from './edn-reader.js';
import { definedNamesHint } from './nearest.js';
import { type SourcePaths, sourcePaths } from './source-paths.js';

export interface SymbolRef {
  /** `my.ns/name` as written. */
  symbol: string;
  offset: number;
  /** In :allow, `my.ns/*` allows the whole namespace: only the namespace is checked. */
  wildcard: boolean;
}

export interface ResolveInput {
  refs: SymbolRef[];
  /** The app root: deps.edn and the source paths are read from here. */
  root: string;
  ionText: string;
  ionDisplay: string;
  /** Turns an absolute path into the path shown in messages. */
  display: (path: string) => string;
}

/** Larger Clojure files are not read (a generated or hostile file); the symbols in them get a warning. */
const MAX_SOURCE = 16 * 1024 * 1024;
/** Files one namespace may `load` into itself, at most. */
const MAX_LOADED = 100;
/** Namespaces looked up, at most: a real ion-config.edn names a few dozen; a hostile one must not start a million stats. */
export const MAX_NAMESPACES = 500;

/** `my-app.core` → `my_app/core`, as Clojure's `require` finds it. */
export const namespacePath = (ns: string): string => ns.replace(/-/g, '_').replace(/\./g, '/');

const isFile = async (path: string): Promise<boolean> => {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
};

async function firstFile(root: string, paths: string[], rel: string, exts: string[]): Promise<string | undefined> {
  // Extension first, as Clojure's RT.load does: a .clj anywhere on the classpath wins over a .cljc earlier on it.
  const candidates = exts.flatMap((ext) => paths.map((p) => join(root, p, rel + ext)));
  const found = await Promise.all(candidates.map(isFile));
  return candidates[found.indexOf(true)];
}

type ReadResult = { decl: FileDeclarations; text: string } | { warning: Problem };

/** The declarations of one file, or the warning that says why it could not be read. */
async function readDeclarations(path: string, display: string): Promise<ReadResult> {
  const warning = (message: string, text = '', offset = 0): ReadResult => ({
    warning: { file: display, ...linePos(text, offset), severity: 'warning', message },
  });
  try {
    const { size } = await stat(path);
    if (size > MAX_SOURCE) return warning(`not read: larger than ${MAX_SOURCE / 1024 / 1024} MiB; the ion-config.edn symbols it should define are not checked`);
    const text = await readFile(path, 'utf8');
    try {
      return { decl: declarations(readClojureForms(text)), text };
    } catch (err) {
      if (!(err instanceof CljSyntaxError)) throw err;
      return warning(`cannot read this file (${err.message}); the ion-config.edn symbols it should define are not checked`, text, err.offset);
    }
  } catch (err) {
    return warning(`cannot read this file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

export async function symbolProblems(input: ResolveInput): Promise<Problem[]> {
  if (input.refs.length === 0) return [];
  const source = await sourcePaths(input.root, input.display(join(input.root, 'deps.edn')));
  const problems: Problem[] = [...source.warnings];
  const byNamespace = new Map<string, SymbolRef[]>();
  let capped = false;
  for (const ref of input.refs) {
    const ns = ref.symbol.slice(0, ref.symbol.indexOf('/'));
    const refs = byNamespace.get(ns);
    if (refs) refs.push(ref);
    else if (byNamespace.size < MAX_NAMESPACES) byNamespace.set(ns, [ref]);
    else if (!capped) {
      capped = true;
      const message = `more than ${MAX_NAMESPACES} namespaces: ${ref.symbol} and the symbols after it in other namespaces are not checked`;
      problems.push({ file: input.ionDisplay, ...linePos(input.ionText, ref.offset), severity: 'warning', message });
    }
  }
  // Every position in ion-config.edn now, before the reads interleave: linePos is fast for one text at a time.
  const places = new Map(input.refs.map((ref) => [ref.offset, linePos(input.ionText, ref.offset)]));
  const found = await Promise.all([...byNamespace].map(([ns, refs]) => namespaceProblems({ ...input, places }, source, ns, refs)));
  return problems.concat(...found);
}

type Placed = ResolveInput & { places: Map<number, { line: number; col: number }> };

async function namespaceProblems(input: Placed, source: SourcePaths, ns: string, refs: SymbolRef[]): Promise<Problem[]> {
  const at = (ref: SymbolRef, message: string, severity?: 'warning'): Problem => ({
    file: input.ionDisplay,
    ...input.places.get(ref.offset)!,
    message,
    ...(severity ? { severity } : { source: input.ionText }),
  });
  const first = refs[0]!;
  const rel = namespacePath(ns);
  const file = await firstFile(input.root, source.paths, rel, ['.clj', '.cljc']);
  if (!file) return [await notFound(input, source, ns, rel, (message) => at(first, message, 'warning'))];

  const shown = input.display(file);
  const read = await readDeclarations(file, shown);
  if ('warning' in read) return [read.warning];
  const { ns: declared } = read.decl;
  if (!declared) return [at(first, `${shown} has no ns form: Clojure cannot load namespace ${ns} from it`)];
  if (declared.name !== ns) {
    const { line, col } = linePos(read.text, declared.offset);
    return [at(first, `${shown}:${line}:${col} declares namespace ${declared.name}, not ${ns}: Clojure cannot load ${ns} from it`)];
  }
  const defs = await withLoadedFiles(input.root, source.paths, rel, read.decl);
  const problems: Problem[] = [];
  for (const ref of refs) {
    const name = ref.symbol.slice(ref.symbol.indexOf('/') + 1);
    if ((ref.wildcard && name === '*') || defs.has(name)) continue;
    problems.push(at(ref, `${ref.symbol} is not defined in ${shown}${definedNamesHint(name, [...defs])}`));
  }
  return problems;
}

/** The names a namespace defines, including those of the files it `load`s (a namespace split over files). */
async function withLoadedFiles(root: string, paths: string[], rel: string, decl: FileDeclarations): Promise<Set<string>> {
  const defs = new Set(decl.defs.keys());
  const seen = new Set<string>();
  const queue = [...decl.loads];
  for (let load = queue.shift(); load !== undefined && seen.size < MAX_LOADED; load = queue.shift()) {
    // Clojure's `load`: a leading / is from the classpath root, else from the namespace's folder.
    const target = load.startsWith('/') ? load.slice(1) : posix.join(posix.dirname(rel), load);
    if (seen.has(target)) continue;
    seen.add(target);
    const file = await firstFile(root, paths, target, ['.clj', '.cljc']);
    if (!file) continue;
    const read = await readDeclarations(file, file);
    if (!('decl' in read)) continue;
    for (const name of read.decl.defs.keys()) defs.add(name);
    queue.push(...read.decl.loads);
  }
  return defs;
}

async function notFound(input: ResolveInput, source: SourcePaths, ns: string, rel: string, warn: (message: string) => Problem): Promise<Problem> {
  const byAlias = await Promise.all(source.aliasPaths.map(async (a) => ((await firstFile(input.root, [a.path], rel, ['.clj', '.cljc'])) ? a : undefined)));
  const alias = byAlias.find((a) => a !== undefined);
  if (alias) {
    return warn(
      `namespace ${ns} is only under ${alias.path}, an :extra-paths of alias ${alias.alias}, not under ${source.origin}: the deployed app cannot load it`,
    );
  }
  const cljs = await firstFile(input.root, source.paths, rel, ['.cljs']);
  const note = cljs ? `; ${input.display(cljs)} is ClojureScript, which the JVM does not load` : '; fine if it comes from a dependency';
  return warn(`namespace ${ns} not found: no ${rel}.clj or .cljc under ${source.origin}${note}`);
}
