// What a Clojure file declares, read from its top-level forms: the namespace
// of its `ns` (or `in-ns`) form, the names its `def…` forms define, and the
// files it `load`s into the same namespace. Top level is what Clojure
// evaluates as such: the file's forms, the :clj (else :default) branch of a
// reader conditional, and the body of a `do`. Nothing in `(comment …)`.

import type { CljForm } from './clojure-reader.js';

export interface FileDeclarations {
  /** The namespace the file declares, with the offset of its name. */
  ns?: { name: string; offset: number };
  /** Each defined name with the offset of its first definition. */
  defs: Map<string, number>;
  /** Arguments of top-level `(load "…")`: paths relative to the namespace's folder, or the classpath root with a leading `/`. */
  loads: string[];
}

/** `clojure.core/defn` → `defn`; `/` alone is a symbol of its own. */
const nameOf = (symbol: string): string => (symbol.length > 1 && symbol.includes('/') ? symbol.slice(symbol.lastIndexOf('/') + 1) : symbol);

/** A plain, unqualified symbol: what a def can define. */
const isPlainSymbol = (f: CljForm | undefined): f is CljForm =>
  f?.kind === 'token' && !f.text.startsWith(':') && !/^[+-]?\d/.test(f.text) && (f.text === '/' || !f.text.includes('/'));

/** The form Clojure on the JVM reads from a reader conditional: its :clj branch, else :default. */
function jvmBranch(cond: CljForm): CljForm | undefined {
  const pairs: [string, CljForm][] = [];
  for (let k = 0; k + 1 < cond.items.length; k += 2) pairs.push([cond.items[k]!.text, cond.items[k + 1]!]);
  return (pairs.find(([key]) => key === ':clj') ?? pairs.find(([key]) => key === ':default'))?.[1];
}

/** Vars a def… form defines besides its name: a protocol's methods, a record's or type's constructor functions. */
function alsoDefined(head: string, name: CljForm, items: CljForm[]): [string, number][] {
  if (head === 'defrecord')
    return [
      [`->${name.text}`, name.start],
      [`map->${name.text}`, name.start],
    ];
  if (head === 'deftype') return [[`->${name.text}`, name.start]];
  if (head !== 'defprotocol') return [];
  // (defprotocol P "doc"? :option value… (method [this] …)…): each signature list names a method.
  return items.flatMap((sig): [string, number][] => {
    const method = sig.kind === 'list' ? sig.items[0] : undefined;
    return isPlainSymbol(method) ? [[method.text, method.start]] : [];
  });
}

export function declarations(forms: CljForm[]): FileDeclarations {
  const found: FileDeclarations = { defs: new Map(), loads: [] };
  // An explicit work list rather than recursion: nested `do`s and conditionals cannot grow the stack.
  const work = [...forms].reverse();
  for (let form = work.pop(); form; form = work.pop()) {
    if (form.kind === 'cond' || form.kind === 'cond-splice') {
      const branch = jvmBranch(form);
      if (branch && form.kind === 'cond') work.push(branch);
      else if (branch) work.push(...[...branch.items].reverse());
      continue;
    }
    if (form.kind !== 'list') continue;
    const [head, first] = form.items;
    if (head?.kind !== 'token') continue;
    const name = nameOf(head.text);
    if (name === 'do') work.push(...form.items.slice(1).reverse());
    else if (name === 'ns' && !found.ns && isPlainSymbol(first)) {
      found.ns = { name: first.text, offset: first.start };
    } else if (name === 'in-ns' && !found.ns && first?.kind === 'prefix' && first.text === "'" && isPlainSymbol(first.items[0])) {
      found.ns = { name: first.items[0].text, offset: first.items[0].start };
    } else if (name === 'load') {
      for (const arg of form.items.slice(1)) if (arg.kind === 'string') found.loads.push(arg.text.slice(1, -1));
    } else if (name.startsWith('def') && isPlainSymbol(first)) {
      for (const [defined, offset] of [[first.text, first.start] as const, ...alsoDefined(name, first, form.items.slice(2))]) {
        if (!found.defs.has(defined)) found.defs.set(defined, offset);
      }
    }
  }
  return found;
}
