// schemas/deploy.schema.json serves editors and the build-time validator:
// every key documented, no open objects, and the generated validator in
// step with it.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const schema = JSON.parse(readFileSync(join(ROOT, 'schemas/deploy.schema.json'), 'utf8'));

type Node = Record<string, unknown>;
function* walk(node: Node, path: string): Generator<[string, Node]> {
  yield [path, node];
  for (const [key, value] of Object.entries((node.properties as Record<string, Node>) ?? {})) yield* walk(value, `${path}/properties/${key}`);
  for (const [key, value] of Object.entries((node.$defs as Record<string, Node>) ?? {})) yield* walk(value, `${path}/$defs/${key}`);
  if (typeof node.additionalProperties === 'object') yield* walk(node.additionalProperties as Node, `${path}/additionalProperties`);
  if (typeof node.items === 'object') yield* walk(node.items as Node, `${path}/items`);
}

describe('deploy.schema.json', () => {
  it('is draft 2020-12', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('describes every key, for editors', () => {
    const undocumented = [...walk(schema, '#')]
      .filter(([path]) => /\/properties\/[^/]+$|\/\$defs\/[^/]+$/.test(path))
      .filter(([, node]) => typeof node.description !== 'string' || node.description === '')
      .map(([path]) => path);
    expect(undocumented).toEqual([]);
  });

  it('closes every object with additionalProperties: false (maps of named entries take a schema)', () => {
    const open = [...walk(schema, '#')]
      .filter(([, node]) => node.type === 'object' || (Array.isArray(node.type) && node.type.includes('object')))
      .filter(([, node]) => node.additionalProperties === undefined || node.additionalProperties === true)
      .map(([path]) => path);
    expect(open).toEqual([]);
  });

  it('uses kebab-case keys', () => {
    const keys = [...walk(schema, '#')].flatMap(([, node]) => Object.keys((node.properties as Node) ?? {}));
    expect(keys.filter((k) => !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(k))).toEqual([]);
  });

  it('matches the committed generated validator', async () => {
    const { generate } = await import('../../src/config/build-validator.mjs');
    expect(readFileSync(join(ROOT, 'src/config/schema-validator.generated.ts'), 'utf8')).toBe(generate());
  });
});
