// ion-config.edn: the entry points read from a valid file, nothing for a
// missing one, and precise file:line:col problems for bad ones.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IonflowError } from '../../src/model/errors.js';
import { checkIonConfig, lambdaNameProblems, readIonConfig } from '../../src/ion/ion-config.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/config/good/ion-app-name/services/web/resources/datomic/ion-config.edn');

const problemsOf = (text: string) => checkIonConfig(text, '/x/ion-config.edn', 'ion-config.edn').problems.map((p) => `${p.line}:${p.col}: ${p.message}`);

describe('readIonConfig', () => {
  it('returns the app-name and entry points', async () => {
    const config = await readIonConfig(FIXTURE);
    expect(config?.appName).toBe('web-ions');
    expect(config?.entryPoints).toEqual({
      appName: 'web-ions',
      allow: ['web.api/handler'],
      lambdas: {
        'get-items': { fn: 'web.api/get-items', description: 'items, "quoted"' },
        ping: { fn: 'web.api/ping' },
      },
      httpDirect: { handlerFn: 'web.api/http' },
    });
  });

  it('returns undefined when the file does not exist', async () => {
    expect(await readIonConfig(join(import.meta.dirname, 'no-such-ion-config.edn'))).toBeUndefined();
  });

  it('checks lambda name lengths for the aws groups given', async () => {
    const err = (await readIonConfig(FIXTURE, {
      cwd: join(FIXTURE, '..'),
      awsGroups: ['a-group-name-long-enough-to-push-get-items-past-the-limit-x'],
    }).catch((e: unknown) => e)) as IonflowError;
    expect(err).toBeInstanceOf(IonflowError);
    expect(err.exitCode).toBe(2);
    expect(err.details[0]).toMatch(
      /^ion-config\.edn:5:12: lambda name 'a-group-name-long-enough-to-push-get-items-past-the-limit-x-get-items' .* 69 characters; at most 64/,
    );
  });
});

describe('checkIonConfig', () => {
  it.each([
    ['{:app-name "a"\n :lambdas {:f {:fn a/b}}\n', "1:1: invalid EDN: '{' is never closed (missing '}')"],
    ['{:app-name "a" :allow [a/b))', "1:27: invalid EDN: expected ']' to close '[', found ')'"],
    ['{:allow [a/b "c/d"]}', '1:14: :allow must hold fully qualified symbols (like my.ns/my-fn), found "c/d"'],
    ['{:allow [/b]}', '1:10: :allow must hold fully qualified symbols (like my.ns/my-fn), found /b'],
    ['{:lambdas {"f" {:fn a/b}}}', '1:12: lambda names must be keywords, found "f"'],
    ['{:lambdas {:f {:fn a/b :timeout-secs 0}}}', '1:38: :timeout-secs of lambda :f must be a positive integer, found 0'],
    ['{:lambdas {:f [:fn a/b]}}', '1:15: lambda :f must be a map with :fn'],
    ['{:http-direct {:handler-fn h}}', '1:28: :handler-fn must be a fully qualified symbol, found h'],
    ['{:app-name "a"} {:b 1}', '1:17: unexpected form after the ion-config map (the file holds one map)'],
    ['#_{:x 1} ; only a comment\n', '1:1: ion-config.edn is empty; it must hold a map'],
  ])('%j', (text, expected) => {
    expect(problemsOf(text)).toEqual([expected]);
  });

  it('accepts comments, discards, commas, tags, sets and chars', () => {
    const text = '; c\n{:app-name "a", :other #{1 2} :when #inst "2020-01-01" :c \\x :d (1 2) #_ :gone}\n';
    expect(problemsOf(text)).toEqual([]);
  });

  it('accepts :concurrency-limit :none and the proxy integration', () => {
    const text = '{:lambdas {:f {:fn a.b/c :concurrency-limit :none :integration :api-gateway/proxy :description "d"}}}';
    const check = checkIonConfig(text, '/x', 'x');
    expect(check.problems).toEqual([]);
    expect(check.config?.entryPoints.lambdas).toEqual({ f: { fn: 'a.b/c', description: 'd' } });
  });

  it('names the group and the full lambda name when too long', () => {
    const check = checkIonConfig('{:lambdas {:abc {:fn a/b}}}', '/x', 'x.edn');
    const exactly64 = 'g'.repeat(60);
    expect(lambdaNameProblems(check.config!, [exactly64], 'x.edn')).toEqual([]);
    const problems = lambdaNameProblems(check.config!, [`${exactly64}x`], 'x.edn');
    expect(problems.map((p) => `${p.file}:${p.line}:${p.col}`)).toEqual(['x.edn:1:12']);
  });
});
