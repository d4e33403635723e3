// Where an app's Clojure namespaces live (SPEC §15): the `:paths` of the app
// root's deps.edn (entries may name an alias holding a vector of paths), or
// `src` when deps.edn has no `:paths` or there is no deps.edn (a Leiningen
// project). Each alias's `:extra-paths` are kept apart: a namespace found
// only there is not on the classpath of the deployed app.

import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Problem } from '../model/problem.js';
import { CljSyntaxError, type CljForm, readClojureForms } from './clojure-reader.js';
import { linePos } from './edn-reader.js';

export interface SourcePaths {
  /** Source folders relative to the app root, in classpath order. */
  paths: string[];
  /** The paths and how they were chosen, for messages: `src/main, resources (deps.edn :paths)`. */
  origin: string;
  /** Each alias's `:extra-paths`. */
  aliasPaths: { alias: string; path: string }[];
  warnings: Problem[];
}

const DEFAULT_PATHS = ['src'];
/** deps.edn is a small file; anything larger is not one. */
const MAX_DEPS_EDN = 1024 * 1024;

const pairsOf = (map: CljForm): [CljForm, CljForm][] => {
  const pairs: [CljForm, CljForm][] = [];
  for (let k = 0; k + 1 < map.items.length; k += 2) pairs.push([map.items[k]!, map.items[k + 1]!]);
  return pairs;
};
const entry = (map: CljForm, key: string): CljForm | undefined => pairsOf(map).find(([k]) => k.text === key)?.[1];
const UNESCAPE: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' };
/** The value of an EDN string form. */
export const ednStringValue = (f: CljForm): string =>
  f.text
    .slice(1, -1)
    .replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) => (e.length === 5 ? String.fromCharCode(Number.parseInt(e.slice(1), 16)) : (UNESCAPE[e] ?? e)));
const strings = (f: CljForm | undefined): string[] => (f?.kind === 'vector' ? f.items.filter((s) => s.kind === 'string').map(ednStringValue) : []);

export async function sourcePaths(root: string, display: string): Promise<SourcePaths> {
  const file = join(root, 'deps.edn');
  const fallback = (origin: string, warnings: Problem[] = []): SourcePaths => ({ paths: DEFAULT_PATHS, origin, aliasPaths: [], warnings });
  let text: string;
  try {
    // Only a regular file is read: a FIFO would block validate forever.
    if (!(await stat(file)).isFile()) throw Object.assign(new Error('not a regular file'), { code: 'not a regular file' });
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return fallback('src (the default: no deps.edn)');
    const warning = {
      file: display,
      line: 1,
      col: 1,
      severity: 'warning' as const,
      message: `cannot read deps.edn (${code ?? (err as Error).message}); looking for namespaces under src`,
    };
    return fallback('src', [warning]);
  }
  const warn = (offset: number, message: string) => ({ file: display, ...linePos(text, offset), severity: 'warning' as const, message });
  if (text.length > MAX_DEPS_EDN) return fallback('src', [warn(0, `deps.edn is larger than 1 MiB; looking for namespaces under src`)]);
  let top: CljForm | undefined;
  try {
    top = readClojureForms(text)[0];
  } catch (err) {
    if (!(err instanceof CljSyntaxError)) throw err;
    return fallback('src', [warn(err.offset, `cannot read deps.edn: ${err.message}; looking for namespaces under src`)]);
  }
  if (top?.kind !== 'map') return fallback('src', [warn(top?.start ?? 0, 'deps.edn does not hold a map; looking for namespaces under src')]);

  const aliases = entry(top, ':aliases');
  const aliasPairs = aliases?.kind === 'map' ? pairsOf(aliases) : [];
  const aliasPaths = aliasPairs.flatMap(([k, v]) => (v.kind === 'map' ? strings(entry(v, ':extra-paths')).map((path) => ({ alias: k.text, path })) : []));
  const declared = entry(top, ':paths');
  if (!declared) return { ...fallback('src (the default: deps.edn has no :paths)'), aliasPaths };
  if (declared.kind !== 'vector') {
    return { ...fallback('src', [warn(declared.start, ':paths of deps.edn must be a vector; looking for namespaces under src')]), aliasPaths };
  }
  // An entry may be a keyword naming an alias whose value is a vector of paths.
  const paths = declared.items.flatMap((item) =>
    item.kind === 'string' ? [ednStringValue(item)] : strings(aliasPairs.find(([k]) => k.text === item.text)?.[1]),
  );
  return { paths, origin: `${paths.join(', ') || 'no folder'} (deps.edn :paths)`, aliasPaths, warnings: [] };
}
