// Result maps are printed as EDN (ion-dev compatible) or JSON with --json.
// Keys are written kebab-case without colons; values are strings, numbers,
// booleans, nested maps and vectors.

import { toEDNStringFromSimpleObject } from '../lazy/edn.js';

export type OutputValue = string | number | boolean | null | OutputValue[] | { [key: string]: OutputValue };
export type OutputMap = { [key: string]: OutputValue };

function dropUndefined(map: Record<string, unknown>): OutputMap {
  const out: OutputMap = {};
  for (const [k, v] of Object.entries(map)) if (v !== undefined) out[k] = v as OutputValue;
  return out;
}

export function printMap(map: Record<string, unknown>, format: 'edn' | 'json'): string {
  const clean = dropUndefined(map);
  if (format === 'json') return JSON.stringify(clean);
  return toEDNStringFromSimpleObject(clean as Parameters<typeof toEDNStringFromSimpleObject>[0], { keysAs: 'keyword' });
}
