// ion-dev's answer (SPEC §16): the last EDN map on its stdout. Before it the
// Clojure CLI may print anything (Maven `Downloading:` lines, warnings); the
// map itself is usually pretty-printed over several lines. A map starts at
// the beginning of a line with `{`, and its extent is found by matching
// brackets outside strings, characters and comments; edn-data then reads that
// text, lists as arrays, keywords and symbols as strings (ion-dev prints an
// execution ARN as a symbol). The last span that reads as a map wins; text
// after it (a JVM warning at exit) is ignored.

import { parseEDNString } from '../../lazy/edn.js';

export type IonDevMap = Record<string, unknown>;

const OPEN = new Set(['{', '[', '(']);
const CLOSE = new Set(['}', ']', ')']);

/** The end (exclusive) of the form opening at `start`, or undefined when it never closes. */
function formEnd(text: string, start: number): number | undefined {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '\\') {
      i++; // a character literal: \{ is not a bracket
    } else if (c === ';') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (OPEN.has(c)) {
      depth++;
    } else if (CLOSE.has(c)) {
      depth--;
      if (depth === 0) return i + 1;
      if (depth < 0) return undefined;
    }
  }
  return undefined;
}

function readMap(text: string): IonDevMap | undefined {
  try {
    const value = parseEDNString(text, {
      mapAs: 'object',
      listAs: 'array',
      setAs: 'array',
      keywordAs: 'string',
      symbolAs: 'string',
      charAs: 'string',
    });
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (unTag(value) as IonDevMap) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * edn-data reads a namespaced map `#:mvn{:version "1"}` as a tagged value
 * `{tag: ':mvn', val: {version: '1'}}`: give it back its qualified keys
 * (`{'mvn/version': '1'}`), as Clojure reads it.
 */
function unTag(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unTag);
  if (value === null || typeof value !== 'object') return value;
  const map = value as IonDevMap;
  const keys = Object.keys(map);
  if (
    keys.length === 2 &&
    typeof map.tag === 'string' &&
    map.tag.startsWith(':') &&
    map.val !== null &&
    typeof map.val === 'object' &&
    !Array.isArray(map.val)
  ) {
    const ns = map.tag.slice(1);
    return Object.fromEntries(Object.entries(map.val as IonDevMap).map(([k, v]) => [k.includes('/') ? k : `${ns}/${k}`, unTag(v)]));
  }
  return Object.fromEntries(keys.map((k) => [k, unTag(map[k])]));
}

export function lastEdnMap(stdout: string): IonDevMap | undefined {
  const starts: number[] = [];
  for (let at = 0; at < stdout.length; at = stdout.indexOf('\n', at) + 1 || stdout.length) {
    if (stdout[at] === '{') starts.push(at);
  }
  for (const start of starts.reverse()) {
    const end = formEnd(stdout, start);
    const map = end === undefined ? undefined : readMap(stdout.slice(start, end));
    if (map) return map;
  }
  return undefined;
}

/** A string value of the map (ion-dev prints some as symbols: read as strings too). */
export function text(map: IonDevMap, key: string): string | undefined {
  const v = map[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * ion-dev's own words for a failure: the `:message` of each of `:causes`
 * (`{:command-failed "…" :causes ({:message "…" :class …})}`), else the failed
 * command it names.
 */
export function failureMessage(map: IonDevMap): string | undefined {
  const causes = Array.isArray(map.causes) ? map.causes : [];
  const messages = causes
    .map((c) => (c !== null && typeof c === 'object' && typeof (c as IonDevMap).message === 'string' ? ((c as IonDevMap).message as string) : undefined))
    .filter((m): m is string => m !== undefined && m.trim() !== '');
  const unique = [...new Set(messages.map((m) => m.trim().split('\n')[0]!))];
  if (unique.length > 0) return unique.join('; ');
  return 'command-failed' in map ? `command failed: ${String(map['command-failed'])}` : undefined;
}
