// deploy.yaml parsed with positions: a path of keys/indexes (as ajv's
// instancePath or the checks give it) leads to the YAML node, and the node's
// offset to LINE:COL through yaml's LineCounter.

import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, type Node, type Pair, parseDocument, type YAMLMap } from '../lazy/yaml.js';
import type { Problem } from '../model/problem.js';
import { yamlSlips } from './yaml-guards.js';
import { indentationSlips } from './yaml-slips.js';

export type PathSegment = string | number;

export interface YamlSource {
  file: string;
  text: string;
  doc: Document.Parsed;
  /** Plain JS value of the document (undefined when it did not parse). */
  value: unknown;
  /** Parse errors as problems (empty when the YAML is well-formed). */
  problems: Problem[];
  /** Where a value (or, with `key`, the key naming it) is written; the nearest existing parent otherwise. */
  at(path: readonly PathSegment[], message: string, options?: { key?: boolean }): Problem;
}

export function parseYamlSource(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  // Duplicate keys and aliases are checked by yamlSlips, in linear time.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const posOf = (offset: number) => lineCounter.linePos(offset);
  const problem = (offset: number, message: string): Problem => {
    const { line, col } = posOf(offset);
    return { file, line, col, message, source: text };
  };
  const problems: Problem[] = parseProblems(doc, text, posOf).map((p) => ({ file, ...p, source: text }));
  // On a tree the parser had to repair, the guards would only restate its errors (a mis-indented
  // item reads as a list used as a key); nothing becomes a value anyway.
  if (problems.length === 0) problems.push(...yamlSlips(doc).map((s) => problem(s.offset, s.message)));
  const value = problems.length === 0 ? doc.toJS({ maxAliasCount: -1 }) : undefined;
  const pairsOf = mapIndex();

  const at = (path: readonly PathSegment[], message: string, options: { key?: boolean } = {}): Problem => {
    let node: unknown = doc.contents;
    let offset = rangeStart(node) ?? 0;
    for (const [i, seg] of path.entries()) {
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = pairsOf(node).get(String(seg));
        if (!pair) break;
        if (last && options.key) {
          offset = rangeStart(pair.key) ?? offset;
          break;
        }
        node = pair.value;
        // A key with no value (`store:`) points at its key.
        offset = rangeStart(node) ?? rangeStart(pair.key) ?? offset;
      } else if (isSeq(node) && typeof seg === 'number') {
        node = node.items[seg];
        offset = rangeStart(node) ?? offset;
      } else break;
    }
    return problem(offset, message);
  };
  return { file, text, doc, value, problems, at };
}

/**
 * The parse errors as the user should read them: a mis-indented line as one
 * plain problem on that line; otherwise the parser's first message on each line.
 */
function parseProblems(doc: Document.Parsed, text: string, posOf: (offset: number) => { line: number; col: number }) {
  const errors = doc.errors.map((e) => ({ ...posOf(e.pos[0]), message: yamlMessage(e.code === 'RESOURCE_EXHAUSTION' ? 'nested too deeply' : e.message) }));
  if (errors.length === 0) return [];
  const slips = indentationSlips(
    text,
    errors.map((e) => e.line),
  );
  if (slips.length > 0) return slips;
  const lines = new Set<number>();
  return errors.filter((e) => !lines.has(e.line) && lines.add(e.line));
}

/** Each map's pairs by key text, built on first use: one problem per key of a 20,000-key map stays linear. */
function mapIndex(): (map: YAMLMap) => Map<string, Pair> {
  const index = new WeakMap<YAMLMap, Map<string, Pair>>();
  return (map) => {
    let pairs = index.get(map);
    if (!pairs) {
      pairs = new Map();
      for (const p of map.items) {
        const key = isPair(p) ? keyText(p.key) : undefined;
        if (key !== undefined && !pairs.has(key)) pairs.set(key, p as Pair);
      }
      index.set(map, pairs);
    }
    return pairs;
  };
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0];
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' ? key : undefined;
}

/** yaml's messages end with "at line N, column M"; the position is printed separately. */
function yamlMessage(message: string): string {
  const first = message.split('\n')[0] ?? message;
  return `invalid YAML: ${first.replace(/ at line \d+, column \d+:?$/, '').replace(/:$/, '')}`;
}
