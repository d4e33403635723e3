// The Clojure reader on the literals that trip up an EDN reader, the
// declarations found at top level, and syntax errors at their offset.

import { describe, expect, it } from 'vitest';
import { declarations } from '../../src/ion/clojure-ns.js';
import { type CljForm, readClojureForms } from '../../src/ion/clojure-reader.js';
import { linePos } from '../../src/ion/edn-reader.js';

const one = (text: string): CljForm => {
  const forms = readClojureForms(text);
  expect(forms).toHaveLength(1);
  return forms[0]!;
};
const declared = (text: string) => {
  const d = declarations(readClojureForms(text));
  return { ns: d.ns?.name, defs: [...d.defs.keys()], loads: d.loads };
};
const errorOf = (text: string): string => {
  try {
    readClojureForms(text);
  } catch (err) {
    const { line, col } = linePos(text, (err as { offset: number }).offset);
    return `${line}:${col}: ${(err as Error).message}`;
  }
  return 'no error';
};

describe('Clojure reader literals', () => {
  it.each([
    ['\\(', '\\('],
    ['\\)', '\\)'],
    ['\\newline', '\\newline'],
    ['\\space', '\\space'],
    ['\\u00e9', '\\u00e9'],
    ['\\"', '\\"'],
    ['\\;', '\\;'],
    ['\\a', '\\a'],
  ])('character %s is one form', (text, expected) => {
    expect(one(`[${text} x]`).items.map((f) => f.text)).toEqual([expected, 'x']);
  });

  it('reads a regex with escaped quotes and brackets as one form', () => {
    const v = one(String.raw`[#"a\"b(\[" x]`);
    expect(v.items.map((f) => [f.kind, f.text])).toEqual([
      ['regex', String.raw`#"a\"b(\["`],
      ['token', 'x'],
    ]);
  });

  it('reads strings with escapes, and brackets inside strings do not count', () => {
    expect(one(String.raw`(str "a \"(\" ]" "\\")`).items.map((f) => f.kind)).toEqual(['token', 'string', 'string']);
  });

  it.each([
    ["'(a b)", 'prefix', "'"],
    ['`(a ~b ~@c)', 'prefix', '`'],
    ['@state', 'prefix', '@'],
    ["#'my.ns/f", 'prefix', "#'"],
    ['#(+ % %2)', 'fn', '#('],
    ['#{1 2}', 'set', '#{'],
    ['#inst "2020-01-01T00:00:00Z"', 'tagged', 'inst'],
    ['#uuid "f81d4fae-7dec-11d0-a765-00a0c91e6bf6"', 'tagged', 'uuid'],
    ['#:db{:id 1 :ident :x}', 'map', '#:db{'],
    ['#:db {:id 1}', 'map', '#:db{'],
    ['#::{:a 1}', 'map', '#::{'],
    ['#?(:clj 1 :cljs 2)', 'cond', '#?('],
    ['#?@(:clj [1 2])', 'cond-splice', '#?@('],
    ['##Inf', 'token', '##Inf'],
    ['#my.ns/Rec{:a 1}', 'tagged', 'my.ns/Rec'],
  ])('%s', (text, kind, tag) => {
    expect(one(text)).toMatchObject({ kind, text: tag, start: 0 });
  });

  it('unquote-splicing is one prefix, not unquote then deref', () => {
    const q = one('`(~@xs)');
    expect(q.items[0]!.items[0]).toMatchObject({ kind: 'prefix', text: '~@' });
  });

  it('attaches metadata to the next form and #_ discards one form each', () => {
    const def = one('(def ^:private ^{:doc "d"} #_ ignored x 1)');
    expect(def.items.map((f) => f.text)).toEqual(['def', 'x', '1']);
    expect(def.items[1]!.meta!.map((m) => m.text)).toEqual([':private', '{']);
    expect(readClojureForms('#_ #_ a b c').map((f) => f.text)).toEqual(['c']);
  });

  it('skips ; comments and a #! line', () => {
    expect(readClojureForms('#!/usr/bin/env bb\n; (def a)\n(def b) ; (\n').map((f) => f.items[1]!.text)).toEqual(['b']);
  });

  it('reads 50,000 nested lists without growing the stack, in linear time', () => {
    const n = 50_000;
    const start = performance.now();
    expect(readClojureForms(`${'('.repeat(n)}${')'.repeat(n)}`)).toHaveLength(1);
    expect(readClojureForms(`${"'".repeat(n)}x`)).toHaveLength(1);
    expect(performance.now() - start).toBeLessThan(5000);
  });
});

describe('Clojure syntax errors', () => {
  it.each([
    ['(defn f [x]\n  (inc x)', "1:1: '(' is never closed (missing ')')"],
    ['(a]', "1:3: expected ')' to close '(', found ']'"],
    ['(a))', "1:4: unexpected ')' (nothing to close)"],
    ['(def s "abc)', '1:8: string is never closed (missing ")'],
    ['(def r #"a)', '1:8: regex is never closed (missing ")'],
    ["(a ')", "1:4: ' is not followed by a form"],
    ['(a #_)', '1:4: #_ is not followed by a form'],
    ['(def ^:x)', '1:6: ^ is not followed by a form'],
    ['#:db x', '1:1: namespaced map #:db must be followed by {'],
    ['[\\', '1:2: character literal without a character'],
    ['# x', "1:1: unexpected '# '"],
  ])('%j', (text, expected) => {
    expect(errorOf(text)).toBe(expected);
  });
});

describe('top-level declarations', () => {
  it('finds the ns of a .cljc file with reader conditionals in its ns form', () => {
    const text = '(ns ^{:doc "x"} my-app.core\n  (:require #?(:clj [clojure.java.io :as io] :cljs [goog.string])))\n(defn f [])';
    expect(declared(text)).toEqual({ ns: 'my-app.core', defs: ['f'], loads: [] });
  });

  it('counts every top-level def… form, whatever defines it', () => {
    const text = [
      '(ns app.core)',
      '(def ^:private ^:dynamic *x* 1)',
      '(defn- helper [x] x)',
      '(defn app ([] 1) ([x] x))',
      '(defonce app* (atom #{}))',
      '(defmulti area :shape)',
      '(defmethod area :circle [_] 1)',
      '(defmacro unless [c & body] `(when-not ~c ~@body))',
      '(compojure/defroutes routes (GET "/" [] "hi"))',
      '(deftest a-test (is (= 1 1)))',
      '(s/def ::spec int?)',
      '(defmethod other/thing :k [_])',
    ].join('\n');
    expect(declared(text).defs).toEqual(['*x*', 'helper', 'app', 'app*', 'area', 'unless', 'routes', 'a-test']);
  });

  it('reads :clj (else :default) branches and do bodies as top level, never comment or #_ bodies', () => {
    const text = [
      '(ns x)',
      '#?(:clj (defn jvm []) :cljs (defn js []))',
      '#?(:cljs (defn js2 []) :default (defn fallback []))',
      '(do (def in-do 1) (do (def deeper 2)))',
      '(comment (defn in-comment []))',
      '#_(defn discarded [])',
      '(when true (def nested 1))',
    ].join('\n');
    expect(declared(text).defs).toEqual(['jvm', 'fallback', 'in-do', 'deeper']);
  });

  it('takes in-ns as the namespace and collects load paths', () => {
    expect(declared('(in-ns \'big.core)\n(load "core/part2")\n(def a 1)')).toEqual({ ns: 'big.core', defs: ['a'], loads: ['core/part2'] });
  });

  it('finds no namespace in a file without ns', () => {
    expect(declared('(def a 1)').ns).toBeUndefined();
  });
});
