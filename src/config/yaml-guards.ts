// Checks on the parsed YAML tree before it becomes a JS value (SPEC §17):
// duplicate keys, keys that are not plain scalars, aliases with no anchor,
// and alias bombs. One iterative pass, linear in the file: yaml's own
// duplicate-key check compares each key with every earlier one (20,000 keys:
// 200 million comparisons), and its alias cap re-walks the document for each
// nested alias, so both are turned off and done here instead.

import { type Document, isAlias, isCollection, isMap, isPair, isScalar, type Node } from '../lazy/yaml.js';

/** More aliases than this in one deploy.yaml is refused. */
export const MAX_ALIASES = 1000;
/** Values the aliases may add to the document when expanded (a billion-laughs file adds 10^9). */
export const MAX_ALIAS_EXPANSION = 100_000;

export interface YamlSlip {
  offset: number;
  message: string;
}

type Item = Node | { key: unknown; value: unknown } | null | undefined;

const start = (node: unknown): number => (node as Node | null | undefined)?.range?.[0] ?? 0;

function children(node: unknown): unknown[] {
  if (isPair(node)) return [node.key, node.value];
  if (isCollection(node)) return node.items;
  return [];
}

export function yamlSlips(doc: Document.Parsed): YamlSlip[] {
  const slips: YamlSlip[] = [];
  const anchors = new Map<string, unknown>();
  const targets = new Map<unknown, unknown>(); // alias → the anchored node it stands for
  let aliases = 0;
  let expansion = 0;

  // Written nodes under `node`, each alias counted as the size of what it stands
  // for; stops counting past the cap, so the whole check stays linear.
  const sizes = new Map<unknown, number>();
  const sizeOf = (root: unknown, within: Set<unknown>): number => {
    const known = sizes.get(root);
    if (known !== undefined) return known;
    if (within.has(root)) return Number.POSITIVE_INFINITY; // an alias inside the node it names
    within.add(root);
    let total = 0;
    const stack = [root];
    while (stack.length && total <= MAX_ALIAS_EXPANSION) {
      const n = stack.pop();
      if (isAlias(n)) total += targets.has(n) ? sizeOf(targets.get(n), within) : 0;
      else if (n !== null && n !== undefined) {
        total++;
        for (const child of children(n)) stack.push(child);
      }
    }
    within.delete(root);
    sizes.set(root, total);
    return total;
  };

  const stack: Item[] = [doc.contents as Item];
  while (stack.length) {
    const node = stack.pop();
    if (node === null || node === undefined) continue;
    if (isAlias(node)) {
      aliases++;
      const target = anchors.get(node.source);
      if (target === undefined) {
        slips.push({ offset: start(node), message: `invalid YAML: alias *${node.source} names no anchor (&${node.source}) written before it` });
        continue;
      }
      if (aliases > MAX_ALIASES) {
        slips.push({ offset: start(node), message: `invalid YAML: more than ${MAX_ALIASES} aliases` });
        return slips;
      }
      targets.set(node, target);
      expansion += sizeOf(target, new Set());
      if (expansion > MAX_ALIAS_EXPANSION) {
        slips.push({
          offset: start(node),
          message: `invalid YAML: aliases expand to more than ${MAX_ALIAS_EXPANSION} values (an alias bomb?); write the values out`,
        });
        return slips;
      }
      continue;
    }
    const anchor = (node as Node).anchor;
    if (anchor) anchors.set(anchor, node);
    if (isMap(node)) {
      const keys = new Set<unknown>();
      for (const pair of node.items) {
        if (!isScalar(pair.key)) {
          if (pair.key !== null) slips.push({ offset: start(pair.key), message: 'invalid YAML: a map key must be a plain name, not a list, map or alias' });
        } else if (keys.has(pair.key.value)) {
          slips.push({ offset: start(pair.key), message: 'invalid YAML: Map keys must be unique' });
        } else keys.add(pair.key.value);
      }
    }
    // Reversed, so nodes are visited in written order: an anchor before its aliases.
    const next = children(node);
    for (let k = next.length - 1; k >= 0; k--) stack.push(next[k] as Item);
  }
  return slips;
}
