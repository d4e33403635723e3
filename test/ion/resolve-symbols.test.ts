// The symbol resolver on layouts the CLI fixtures do not cover: deps.edn
// :paths naming an alias, a namespace split over files with `load`, a file
// without an ns form, an unreadable deps.edn; and the did-you-mean rule.

import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { definedNamesHint } from '../../src/ion/nearest.js';
import { type SymbolRef, symbolProblems } from '../../src/ion/resolve-symbols.js';
import { makeTempDir } from '../support/repo.js';

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

/** The problems for `symbols` (written one per line of a fake ion-config.edn) in a project of `files`. */
async function problems(files: Record<string, string>, symbols: string[], inAllow = true): Promise<string[]> {
  const root = makeTempDir();
  temps.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const ionText = symbols.join('\n');
  let offset = 0;
  const refs: SymbolRef[] = symbols.map((symbol) => {
    const ref = { symbol, offset, wildcard: inAllow && symbol.endsWith('/*') };
    offset += symbol.length + 1;
    return ref;
  });
  const found = await symbolProblems({ refs, root, ionText, ionDisplay: 'ion-config.edn', display: (p) => relative(root, p) });
  return found.map((p) => `${p.file}:${p.line}:${p.col}: ${p.severity ? `${p.severity}: ` : ''}${p.message}`);
}

describe('symbolProblems', () => {
  it('follows a deps.edn :paths entry that names an alias of paths', async () => {
    const files = {
      'deps.edn': '{:paths [:src-paths "resources"] :aliases {:src-paths ["src/main"]}}',
      'src/main/shop/core.clj': '(ns shop.core)\n(defn hello [_])',
    };
    expect(await problems(files, ['shop.core/hello'])).toEqual([]);
    expect(await problems(files, ['shop.core/bye'])).toEqual(['ion-config.edn:1:1: shop.core/bye is not defined in src/main/shop/core.clj (it defines hello)']);
  });

  it('counts the names of files a namespace loads into itself', async () => {
    const files = {
      'src/big/core.clj': '(ns big.core)\n(load "core/part2")\n(load "/big/shared")\n(defn a [])',
      'src/big/core/part2.clj': '(in-ns \'big.core)\n(defn b [])\n(load "part3")',
      // Relative to the namespace's folder (big/), whichever file loads it.
      'src/big/part3.cljc': "(in-ns 'big.core)\n(defn c [])",
      'src/big/shared.clj': '(in-ns \'big.core)\n(defn d [])\n(load "/big/shared")',
    };
    expect(await problems(files, ['big.core/a', 'big.core/b', 'big.core/c', 'big.core/d'])).toEqual([]);
  });

  it('a file without an ns form is an error; .clj wins over .cljc', async () => {
    expect(await problems({ 'src/util.clj': '(defn f [])' }, ['util/f'])).toEqual([
      'ion-config.edn:1:1: src/util.clj has no ns form: Clojure cannot load namespace util from it',
    ]);
    const both = { 'src/util.clj': '(ns util)\n(defn jvm [])', 'src/util.cljc': '(ns util)\n(defn portable [])' };
    expect(await problems(both, ['util/jvm'])).toEqual([]);
  });

  it('an unreadable deps.edn is a warning at its place, and src is read instead', async () => {
    const files = { 'deps.edn': '{:paths ["src"\n :deps {}', 'src/shop/core.clj': '(ns shop.core)\n(defn hello [_])' };
    expect(await problems(files, ['shop.core/hello', 'shop.core/*'])).toEqual([
      "deps.edn:1:9: warning: cannot read deps.edn: '[' is never closed (missing ']'); looking for namespaces under src",
    ]);
  });

  it('a deps.edn that is not a regular file (a FIFO) is a warning, never a hang', async () => {
    const root = makeTempDir();
    temps.push(root);
    execFileSync('mkfifo', [join(root, 'deps.edn')]);
    const found = await symbolProblems({ refs: [], root, ionText: '', ionDisplay: 'ion-config.edn', display: (p) => relative(root, p) });
    expect(found).toEqual([]);
    const refs = [{ symbol: 'a/b', offset: 0, wildcard: false }];
    const warned = await symbolProblems({ refs, root, ionText: 'a/b', ionDisplay: 'ion-config.edn', display: (p) => relative(root, p) });
    expect(warned.map((p) => p.message)).toEqual([
      'cannot read deps.edn (not a regular file); looking for namespaces under src',
      'namespace a not found: no a.clj or .cljc under src; fine if it comes from a dependency',
    ]);
  });

  it('ns/* in :allow checks only the namespace; elsewhere * is an ordinary name', async () => {
    const files = { 'src/a.clj': '(ns a)\n(defn b [])' };
    expect(await problems(files, ['a/*'])).toEqual([]);
    expect(await problems(files, ['a/*'], false)).toEqual(['ion-config.edn:1:1: a/* is not defined in src/a.clj (it defines b)']);
    expect(await problems({}, ['nowhere/*'])).toEqual([
      'ion-config.edn:1:1: warning: namespace nowhere not found: no nowhere.clj or .cljc under src (the default: no deps.edn); fine if it comes from a dependency',
    ]);
  });
});

describe('definedNamesHint', () => {
  it.each([
    ['helo', ['hello', 'help', 'handler'], '; did you mean hello or help?'],
    ['app', ['app*', 'apply'], '; did you mean app*?'],
    ['app*', ['app'], '; did you mean app?'],
    ['x', [], ' (it defines no names)'],
    ['zzzzzz', ['a', 'b'], ' (it defines a, b)'],
  ])('%s among %j', (name, known, expected) => {
    expect(definedNamesHint(name, known)).toBe(expected);
  });
});
