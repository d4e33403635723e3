// Reading ion-dev's answer (SPEC §16): the last EDN map on stdout, whatever
// comes before it, pretty-printed or not; ion-dev's failure words; conflicts.

import { describe, expect, it } from 'vitest';
import { conflictsOf, failingConflicts } from '../../../src/backends/ion-dev/conflicts.js';
import { opMap } from '../../../src/backends/ion-dev/ion-dev.js';
import { failureMessage, lastEdnMap } from '../../../src/backends/ion-dev/result.js';

const PUSH = `Downloading: com/datomic/ion-dev/1.0.306/ion-dev-1.0.306.pom from datomic-cloud
Cloning: https://github.com/acme/util.git
{:rev "6468765f843d70e01a7a2e483405c5fcc9aa0883",
 :deploy-groups ("acme-query" "acme-primary"),
 :dependency-conflicts
 {:deps
  {com.cognitect/transit-java #:mvn{:version "0.8.332"},
   org.clojure/core.async {:mvn/version "0.4.474"},
   acme/util {:git/url "https://github.com/acme/util.git", :sha "0f3c"}},
  :doc "overrode these dependencies; see {the docs}"},
 :deploy-command
 "clojure -A:ion-dev '{:op :deploy, :group <group>, :rev \\"6468765f843d70e01a7a2e483405c5fcc9aa0883\\"}'",
 :doc
 "To deploy, issue the :deploy-command, replacing <group> with a group from :deploy-groups"}
`;

describe('lastEdnMap', () => {
  it('reads a pretty-printed map after noise, lists as arrays, symbols and keywords as strings', () => {
    const map = lastEdnMap(PUSH)!;
    expect(map.rev).toBe('6468765f843d70e01a7a2e483405c5fcc9aa0883');
    expect(map['deploy-groups']).toEqual(['acme-query', 'acme-primary']);
    expect(map['deploy-command']).toContain('{:op :deploy, :group <group>');
  });

  it('takes the last map, ignores text after it and maps that do not close', () => {
    const out = `{:op :old}\n{:deploy-status "RUNNING", :code-deploy-status "InProgress"}\nWARNING: JVM exit {\n{:broken "`;
    expect(lastEdnMap(out)).toEqual({ 'deploy-status': 'RUNNING', 'code-deploy-status': 'InProgress' });
  });

  it('reads an execution ARN printed as a symbol', () => {
    const out = '{:execution-arn\n arn:aws:states:us-east-1:123456789012:execution:datomic-g:g-6468-1539892410870,\n :doc "x"}\n';
    expect(lastEdnMap(out)?.['execution-arn']).toBe('arn:aws:states:us-east-1:123456789012:execution:datomic-g:g-6468-1539892410870');
  });

  it('is undefined without a map', () => {
    expect(lastEdnMap('Downloading: x\nException in thread "main"\n')).toBeUndefined();
    expect(lastEdnMap('')).toBeUndefined();
  });
});

describe('ion-dev failures and conflicts', () => {
  it("gives ion-dev's :causes messages", () => {
    const map = lastEdnMap(
      '{:command-failed "{:op :push}",\n :causes\n ({:message "You must either specify a uname or push from a clean git commit", :class IllegalArgumentException})}',
    )!;
    expect(failureMessage(map)).toBe('You must either specify a uname or push from a clean git commit');
    expect(failureMessage({ 'command-failed': '{:op :push}' })).toBe('command failed: {:op :push}');
  });

  it('lists each conflicting lib with its version, namespaced maps included; fail spares the allowed', () => {
    const conflicts = conflictsOf(lastEdnMap(PUSH)!);
    expect(conflicts).toEqual({ 'com.cognitect/transit-java': '0.8.332', 'org.clojure/core.async': '0.4.474', 'acme/util': '0f3c' });
    expect(failingConflicts(conflicts, { dependencyConflicts: 'warn', allowConflicts: [] })).toEqual([]);
    expect(failingConflicts(conflicts, { dependencyConflicts: 'fail', allowConflicts: ['com.cognitect/transit-java'] })).toEqual([
      'org.clojure/core.async',
      'acme/util',
    ]);
  });

  it('writes op maps with string values, leaving out what is not set', () => {
    expect(opMap('deploy', { group: 'g', rev: 'abc', uname: undefined, region: 'us-east-1' })).toBe('{:op :deploy :group "g" :rev "abc" :region "us-east-1"}');
  });
});
