// Schema validation with the validator compiled at build time from
// schemas/deploy.schema.json (no ajv compiler at run time), and ajv's errors
// turned into one plain message each, placed on the YAML node they concern.

import { readFileSync } from 'node:fs';
import { didYouMean } from '../text/did-you-mean.js';
import type { Problem } from '../model/problem.js';
import { SCHEMA_FILE } from './schema-file.js';
import { validate } from './schema-validator.generated.js';
import type { PathSegment, YamlSource } from './yaml-source.js';

interface AjvError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  propertyName?: string;
}

type SchemaNode = Record<string, unknown>;
let schemaCache: SchemaNode | undefined;

/**
 * The schema that applies at an instance path (ajv's schemaPath is relative to
 * the `$ref`'d definition, so the instance path is followed instead). The
 * schema file is only read when there is an error to explain.
 */
function schemaFor(path: PathSegment[]): SchemaNode {
  schemaCache ??= JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as SchemaNode;
  const root = schemaCache;
  const deref = (node: unknown): SchemaNode => {
    const n = (node ?? {}) as SchemaNode;
    const ref = n.$ref;
    return typeof ref === 'string' ? deref((root.$defs as SchemaNode)[ref.replace('#/$defs/', '')]) : n;
  };
  let node = deref(root);
  for (const seg of path) {
    const props = node.properties as SchemaNode | undefined;
    if (typeof seg === 'number') node = deref(node.items);
    else if (props && seg in props) node = deref(props[seg]);
    else node = deref(node.additionalProperties);
  }
  return node;
}

export function schemaProblems(src: YamlSource): Problem[] {
  if (validate(src.value)) return [];
  const all = (validate as unknown as { errors?: AjvError[] }).errors ?? [];
  // A value of the wrong type (`- push shop`, a string, where a map belongs) is the one
  // thing to say about it: what a map would have needed is noise.
  const mistyped = new Set(all.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  const errors = all.filter(
    // Branches of oneOf only say which key is missing; the oneOf error itself explains.
    (e) => !/\/oneOf\/\d+\//.test(e.schemaPath) && e.keyword !== 'propertyNames' && !(e.keyword !== 'type' && mistyped.has(e.instancePath)),
  );
  const seen = new Set<string>();
  const out: Problem[] = [];
  for (const e of errors) {
    const p = toProblem(src, e);
    const id = `${p.line}:${p.col}:${p.message}`;
    if (!seen.has(id)) {
      seen.add(id);
      out.push(p);
    }
  }
  return out;
}

function pointerPath(pointer: string): PathSegment[] {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function nameOf(path: PathSegment[]): string {
  const last = path[path.length - 1];
  if (last === undefined) return 'the file';
  if (typeof last === 'number') {
    if (path[path.length - 2] === 'run') return `run argument ${last + 1}`;
    return path[path.length - 2] === 'steps' ? `step ${last + 1}` : `item ${last + 1}`;
  }
  const section = path.length === 2 ? SECTIONS[String(path[0])] : undefined;
  return section ? `${section} '${last}'` : `'${last}'`;
}

const SECTIONS: Record<string, string> = { profiles: 'profile', apps: 'app', groups: 'group', pipelines: 'pipeline' };

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  object: 'a map',
  array: 'a list',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  null: 'empty',
};

function describeType(type: unknown, path: PathSegment[]): string {
  const last = path[path.length - 1];
  if (last === 'wait') return 'a group key or a map {group, for, timeout, poll}';
  if (last === 'run') return 'a command string or an argv list';
  if (path[path.length - 2] === 'run') return 'one value as written (a word, a number, true), not a map or a list';
  const types = String(type).split(',');
  return types.map((t) => TYPE_WORDS[t] ?? t).join(' or ');
}

function patternMessage(pattern: string, value: unknown, name: string): string {
  const shown = JSON.stringify(value);
  if (pattern.includes('(s|m|h)')) return `${name}: ${shown} is not a duration; write a whole number and s, m or h (90s, 15m, 1h)`;
  if (pattern.includes('KiB|MiB')) return `${name}: ${shown} is not a size; write bytes, or a whole number and KiB, MiB, GiB or TiB (64MiB, 8GiB)`;
  if (pattern.startsWith('^https?')) return `${name}: ${shown} is not an http:// or https:// URL`;
  if (pattern.startsWith('^[A-Za-z_]')) return `${shown} is not a valid environment variable name`;
  return `${shown} is not a valid name; use letters, digits, '.', '_' and '-', starting with a letter or digit`;
}

const STEP_KINDS = ['push', 'deploy', 'wait', 'run', 'confirm'];

/** `- push shop` is a string: the colon after `push` is missing. */
function missingColon(path: PathSegment[], value: unknown): string {
  if (path[path.length - 2] !== 'steps' || typeof value !== 'string') return '';
  const [kind, ...rest] = value.trim().split(/\s+/);
  if (!kind || !STEP_KINDS.includes(kind) || rest.length === 0) return '';
  return `, like '${kind}: ${rest.join(' ')}' (a colon after '${kind}')`;
}

function valueAt(value: unknown, path: PathSegment[]): unknown {
  let v = value;
  for (const seg of path) v = (v as Record<string | number, unknown> | null | undefined)?.[seg];
  return v;
}

function toProblem(src: YamlSource, e: AjvError): Problem {
  const path = pointerPath(e.instancePath);
  const name = nameOf(path);
  const p = e.params;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const parent = schemaFor(path);
      const allowed = Object.keys((parent.properties as SchemaNode | undefined) ?? {});
      const hint = didYouMean(key, allowed) || (allowed.length ? ` (allowed: ${allowed.join(', ')})` : '');
      return src.at([...path, key], `unknown key '${key}'${hint}`, { key: true });
    }
    case 'required':
      return src.at(path, `${path.length ? name : 'the file'} is missing the required key '${String(p.missingProperty)}'`);
    case 'dependentRequired':
      return src.at([...path, String(p.property)], `'${String(p.property)}' is only allowed on a run step`, { key: true });
    case 'type':
      return src.at(path, `${name} must be ${describeType(p.type, path)}${missingColon(path, valueAt(src.value, path))}`);
    case 'minLength':
      return src.at(path, `${name} must not be empty`);
    case 'minItems':
      return src.at(path, `${name} must not be an empty list`);
    case 'minimum':
      return src.at(path, `${name} must be at least ${String(p.limit)}`);
    case 'enum':
      return src.at(path, `${name} must be one of: ${((p.allowedValues as unknown[]) ?? []).join(', ')}`);
    case 'const':
      return src.at(path, `${name} must be ${JSON.stringify(p.allowedValue)}`);
    case 'pattern':
      if (e.propertyName !== undefined) {
        return src.at([...path, e.propertyName], patternMessage(String(p.pattern), e.propertyName, name), { key: true });
      }
      return src.at(path, patternMessage(String(p.pattern), valueAt(src.value, path), name));
    case 'oneOf': {
      const branches = ((schemaFor(path).oneOf as unknown[] | undefined) ?? []).map((b) => ((b as SchemaNode).required as string[] | undefined)?.[0] ?? '?');
      const what = path[path.length - 2] === 'steps' ? `step ${Number(path[path.length - 1]) + 1}` : name;
      const passing = p.passingSchemas as number[] | null;
      if (passing && passing.length > 1) {
        const both = passing.map((i) => `'${branches[i]}'`).join(' and ');
        return src.at(path, `${what} has both ${both}; use exactly one of: ${branches.join(', ')}`);
      }
      return src.at(path, `${what} needs exactly one of: ${branches.join(', ')}`);
    }
    default:
      return src.at(path, `${name} is invalid (${e.keyword})`);
  }
}
