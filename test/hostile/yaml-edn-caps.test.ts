// SPEC §17: YAML aliases and EDN nesting are capped; a hostile deploy.yaml or
// ion-config.edn is exit 2 at file:line:col, never a crash, a hang or a Node
// warning.

import { describe, expect, it } from 'vitest';
import { cleanUpRepos, cliIn, problemLines } from '../support/hostile.js';

cleanUpRepos();

const HEAD = 'version: 1\napps:\n  shop: {}\ngroups:\n  dev: { app: shop, local: .ionflow/groups/dev }\n';

/** A pipeline whose run steps all use one anchored argv through aliases. */
const aliased = (argvLength: number, aliases: number) =>
  `${HEAD}pipelines:\n  p:\n    steps:\n      - run: &cmd [${Array.from({ length: argvLength }, () => 'x').join(', ')}]\n${'      - run: *cmd\n'.repeat(aliases)}`;

describe('YAML aliases', () => {
  it('refuses an alias with no anchor at its place', async () => {
    const r = await cliIn({ 'deploy.yaml': `${HEAD}pipelines: *nope\n` }, ['validate']);
    expect(r.code).toBe(2);
    expect(problemLines(r.stderr)).toEqual(['deploy.yaml:6:12: invalid YAML: alias *nope names no anchor (&nope) written before it']);
  });

  it('refuses a billion-laughs file at the alias that crosses the cap, at once', async () => {
    const laughs = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const [i, c] of [...'bcdefghi'].entries()) laughs.push(`${c}: &${c} [${Array(10).fill(`*${'abcdefghi'[i]}`).join(', ')}]`);
    const r = await cliIn({ 'deploy.yaml': `version: 1\n${laughs.join('\n')}\n` }, ['validate']);
    expect(r.code).toBe(2);
    expect(problemLines(r.stderr)).toEqual([
      'deploy.yaml:6:36: invalid YAML: aliases expand to more than 100000 values (an alias bomb?); write the values out',
    ]);
  });

  it('accepts aliases expanding to 100,000 values, and refuses one more alias', async () => {
    // Each alias adds the list and its 999 items: 100 aliases make 100,000.
    const under = await cliIn({ 'deploy.yaml': aliased(999, 100) }, ['validate']);
    expect(under.stderr).toBe('');
    expect(under.code).toBe(0);
    const over = await cliIn({ 'deploy.yaml': aliased(999, 101) }, ['validate']);
    expect(over.code).toBe(2);
    expect(problemLines(over.stderr)).toEqual([
      'deploy.yaml:110:14: invalid YAML: aliases expand to more than 100000 values (an alias bomb?); write the values out',
    ]);
  });

  it('accepts 1000 aliases and refuses the 1001st', async () => {
    const under = await cliIn({ 'deploy.yaml': aliased(1, 1000) }, ['validate']);
    expect(under.code, under.stderr).toBe(0);
    const over = await cliIn({ 'deploy.yaml': aliased(1, 1001) }, ['validate']);
    expect(over.code).toBe(2);
    expect(problemLines(over.stderr)).toEqual(['deploy.yaml:1010:14: invalid YAML: more than 1000 aliases']);
  });
});

describe('YAML structure', () => {
  it('refuses a complex key with no Node warning', async () => {
    const r = await cliIn({ 'deploy.yaml': 'version: 1\n? [a, b]\n: 1\n' }, ['validate']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/Warning|stringified/);
    expect(problemLines(r.stderr)).toEqual(['deploy.yaml:2:3: invalid YAML: a map key must be a plain name, not a list, map or alias']);
  });

  it('refuses YAML nested 5,000 deep', async () => {
    const r = await cliIn({ 'deploy.yaml': `version: 1\napps: ${'['.repeat(5_000)}${']'.repeat(5_000)}\n` }, ['validate']);
    expect(r.code).toBe(2);
    expect(problemLines(r.stderr)[0]).toMatch(/^deploy\.yaml:2:\d+: invalid YAML: nested too deeply$/);
    expect(r.stderr).not.toContain('call stack');
    // The code frame shows a window of the 10 KB line, not all of it.
    expect(r.stderr.length).toBeLessThan(2000);
  });
});

describe('EDN nesting', () => {
  const ion = (text: string) => ({ 'deploy.yaml': HEAD, 'resources/datomic/ion-config.edn': text });
  const nested = (depth: number) => `{:app-name "shop"\n :allow ${'['.repeat(depth)}${']'.repeat(depth)}}\n`;

  it('refuses an ion-config.edn nested 50,000 deep at its place, not with a stack overflow', async () => {
    const r = await cliIn(ion(nested(50_000)), ['validate']);
    expect(r.code).toBe(2);
    expect(problemLines(r.stderr)).toEqual(['resources/datomic/ion-config.edn:2:108: invalid EDN: nested more than 100 levels deep']);
    expect(r.stderr).not.toContain('call stack');
  });

  it('reads 100 levels (the map and 99 vectors), refuses 101', async () => {
    const under = await cliIn(ion(nested(99)), ['validate']);
    expect(problemLines(under.stderr)).toEqual(['resources/datomic/ion-config.edn:2:10: :allow must hold fully qualified symbols (like my.ns/my-fn), found [']);
    const over = await cliIn(ion(nested(100)), ['validate']);
    expect(problemLines(over.stderr)).toEqual(['resources/datomic/ion-config.edn:2:108: invalid EDN: nested more than 100 levels deep']);
  });
});
