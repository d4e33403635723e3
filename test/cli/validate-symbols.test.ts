// SPEC §15 end to end: validate, push and run check that the ion-config.edn
// symbols exist in the app's Clojure source (test/fixtures/ion-symbols/*:
// realistic projects with several layouts), errors at the symbol's
// line:col, warnings that print but fail nothing.

import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appRepo, DEV } from '../support/app-repo.js';
import { runCli } from '../support/cli.js';
import { makeTempDir, type TempRepo } from '../support/repo.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/ion-symbols');
const temps: string[] = [];
let repo: TempRepo | undefined;
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
  repo?.cleanup();
  repo = undefined;
});

/** A copy of a fixture project, with some files replaced. */
function project(name: string, files: Record<string, string> = {}): string {
  const dir = join(makeTempDir(), name);
  temps.push(join(dir, '..'));
  cpSync(join(FIXTURES, name), dir, { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}
const edit = (dir: string, path: string, from: string, to: string) => {
  const text = readFileSync(join(dir, path), 'utf8');
  expect(text).toContain(from);
  writeFileSync(join(dir, path), text.replace(from, to));
};
/** The `file:line:col: …` lines of stderr, without code frames. */
const problemLines = (stderr: string) => stderr.split('\n').filter((l) => /^\S+:\d+:\d+: /.test(l));

describe('ionflow validate resolves ion-config.edn symbols', () => {
  it('passes silently on a project with :paths ["src/main" "resources"] and every reader feature', async () => {
    // Single-segment, camelCase, my-app.core → my_app/core.clj, a project datomic.* namespace,
    // .cljc with #?(:clj …), ns/* in :allow, app and app* both defined.
    const r = await runCli(['validate'], { cwd: join(FIXTURES, 'main-paths') });
    expect(r).toMatchObject({ code: 0, stdout: 'ok\n', stderr: '' });
  });

  it('reports each undefined name at its line:col with did-you-mean; warnings print too', async () => {
    const r = await runCli(['validate'], { cwd: join(FIXTURES, 'typos') });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const ion = 'resources/datomic/ion-config.edn';
    const paths = 'src/clj, test/clj, resources (deps.edn :paths)';
    expect(problemLines(r.stderr)).toEqual([
      `${ion}:2:10: warning: namespace cheshire.core not found: no cheshire/core.clj or .cljc under ${paths}; fine if it comes from a dependency`,
      `${ion}:3:10: warning: namespace my-app.dev is only under dev, an :extra-paths of alias :dev, not under ${paths}: the deployed app cannot load it`,
      `${ion}:11:21: warning: namespace my-app.ui not found: no my_app/ui.clj or .cljc under ${paths}; src/clj/my_app/ui.cljs is ClojureScript, which the JVM does not load`,
      "src/clj/my_app/broken.clj:4:17: warning: cannot read this file (expected ')' to close '(', found ']'); the ion-config.edn symbols it should define are not checked",
      `${ion}:6:24: my-app.core/helo is not defined in src/clj/my_app/core.clj; did you mean hello?`,
      `${ion}:7:24: my-app.core/app is not defined in src/clj/my_app/core.clj; did you mean app*?`,
      `${ion}:8:12: lambda name :my.fn cannot be part of an AWS Lambda function name: use letters, digits, - and _ only (found '.')`,
      `${ion}:9:23: src/clj/my_app/util.clj:1:5 declares namespace my-app.utils, not my-app.util: Clojure cannot load my-app.util from it`,
      `${ion}:12:28: my-app.core/handlr is not defined in src/clj/my_app/core.clj; did you mean handler?`,
    ]);
    // Warnings come first and are not counted; the errors follow the one `error:` line with code frames.
    expect(r.stderr.split('\n')[4]).toBe(`error: 5 problems in ${ion}`);
    expect(r.stderr).toContain('> 6 |  :lambdas {:hello {:fn my-app.core/helo}\n    |                        ^\n');
  });

  it('warnings alone do not fail validate', async () => {
    const dir = project('typos');
    writeFileSync(join(dir, 'resources/datomic/ion-config.edn'), '{:app-name "shop"\n :allow [cheshire.core/generate-string my-app.core/hello]}\n');
    const r = await runCli(['validate'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('ok\n');
    expect(problemLines(r.stderr)).toEqual([expect.stringMatching(/^resources\/datomic\/ion-config\.edn:2:10: warning: namespace cheshire\.core not found/)]);
  });

  it('looks up at most 500 namespaces and shows the first 50 warnings of a hostile ion-config.edn', async () => {
    const dir = project('deps-no-paths');
    const allow = Array.from({ length: 2000 }, (_, k) => `lib${k}.core/f`).join(' ');
    writeFileSync(join(dir, 'resources/datomic/ion-config.edn'), `{:app-name "orders"\n :allow [${allow}]}\n`);
    const start = Date.now();
    const r = await runCli(['validate'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(Date.now() - start).toBeLessThan(10_000);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(51);
    expect(lines[0]).toMatch(/^resources\/datomic\/ion-config\.edn:2:10: warning: namespace lib0\.core not found/);
    // 500 namespaces not found, and one warning that the 501st and later are not checked.
    expect(lines[50]).toBe('... and 451 more warnings not shown');
  });

  it('reads src of a Leiningen project (no deps.edn) and of a deps.edn without :paths', async () => {
    const lein = project('lein');
    expect(await runCli(['validate'], { cwd: lein })).toMatchObject({ code: 0, stdout: 'ok\n', stderr: '' });
    edit(lein, 'resources/datomic/ion-config.edn', 'shop.web/report', 'shop.web/reprot');
    const bad = await runCli(['validate'], { cwd: lein });
    expect(bad.code).toBe(2);
    expect(problemLines(bad.stderr)).toEqual([
      'resources/datomic/ion-config.edn:3:25: shop.web/reprot is not defined in src/shop/web.clj; did you mean report?',
    ]);

    const deps = project('deps-no-paths');
    edit(deps, 'src/orders/api.clj', '(defn place-order [', '(defn place [');
    const r = await runCli(['validate'], { cwd: deps });
    expect(problemLines(r.stderr)).toEqual([
      'resources/datomic/ion-config.edn:2:24: orders.api/place-order is not defined in src/orders/api.clj; did you mean place-order*?',
    ]);
  });

  it('a .clj anywhere on :paths wins over a .cljc earlier on them, as Clojure loads it', async () => {
    const dir = project('deps-no-paths', {
      'deps.edn': '{:paths ["src/cljc" "src/clj"]}\n',
      'src/cljc/orders/api.cljc': '(ns orders.api)\n\n(defn portable [x] x)\n',
      'src/clj/orders/api.clj': '(ns orders.api)\n\n(defn place-order [_] "ok")\n',
    });
    expect(await runCli(['validate'], { cwd: dir })).toMatchObject({ code: 0, stdout: 'ok\n', stderr: '' });
    edit(dir, 'resources/datomic/ion-config.edn', 'orders.api/place-order', 'orders.api/portable');
    const r = await runCli(['validate'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(problemLines(r.stderr)).toEqual([
      'resources/datomic/ion-config.edn:2:24: orders.api/portable is not defined in src/clj/orders/api.clj (it defines place-order)',
    ]);
  });

  it("accepts a protocol's methods and a record's constructors: Clojure defines those vars", async () => {
    const dir = project('deps-no-paths', {
      'src/orders/api.clj': [
        '(ns orders.api)',
        '(defprotocol Priced "What an order costs." :extend-via-metadata true (total [o]) (tax [o] [o rate]))',
        '(defrecord Order [lines] Priced (total [_] (count lines)) (tax [o] 0) (tax [o r] r))',
        '(deftype Cart [items])',
        '',
      ].join('\n'),
      'resources/datomic/ion-config.edn':
        '{:app-name "orders"\n :allow [orders.api/->Order orders.api/map->Order orders.api/->Cart]\n :lambdas {:total {:fn orders.api/total}\n           :tax {:fn orders.api/taxes}}}\n',
    });
    const r = await runCli(['validate'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(problemLines(r.stderr)).toEqual(['resources/datomic/ion-config.edn:4:22: orders.api/taxes is not defined in src/orders/api.clj; did you mean tax?']);
  });
});

describe('push and run check the symbols before anything is pushed', () => {
  const ION = (fn: string) => `{:app-name "shop" :lambdas {:hello {:fn ${fn}}}}\n`;
  const files = (fn: string) => ({ 'resources/datomic/ion-config.edn': ION(fn), 'src/shop/core.clj': '(ns shop.core)\n\n(defn hello [_] "hi")\n' });

  it('push exits 2 on an undefined name and writes nothing to the store', async () => {
    repo = appRepo(DEV, ['dev'], files('shop.core/hallo'));
    const r = await runCli(['push'], { cwd: repo.dir, env: repo.env });
    expect(r.code).toBe(2);
    expect(problemLines(r.stderr)).toEqual(['resources/datomic/ion-config.edn:1:41: shop.core/hallo is not defined in src/shop/core.clj; did you mean hello?']);
    expect(existsSync(join(repo.dir, '.ionflow/store'))).toBe(false);
  });

  it('run exits 2 before its first step; a warning does not stop push', async () => {
    repo = appRepo(DEV, ['dev'], files('shop.core/hallo'));
    const run = await runCli(['run', 'dev', '--output', 'jsonl'], { cwd: repo.dir, env: repo.env });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('shop.core/hallo is not defined in src/shop/core.clj; did you mean hello?');
    expect(existsSync(join(repo.dir, '.ionflow'))).toBe(false);

    repo.commit('use a library fn', { 'resources/datomic/ion-config.edn': ION('cheshire.core/generate-string') });
    const push = await runCli(['push'], { cwd: repo.dir, env: repo.env });
    expect(push.code, push.stderr).toBe(0);
    expect(push.stderr).toContain('resources/datomic/ion-config.edn:1:41: warning: namespace cheshire.core not found');
    expect(push.stdout).toContain(`:rev "${repo.head()}"`);
  });
});
