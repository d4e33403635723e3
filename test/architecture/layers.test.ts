// The layout of STYLE.md "A layout that shows the architecture", checked on
// every test run: src/ reads in floors from model/ at the bottom to cli/ at
// the top, an import only points down (or sideways within a floor), no files
// import each other in a circle, graph/ and engine/ stay pure, one module
// starts processes, and no source file outgrows 300 lines. Imports are read
// with TypeScript's parser, not a regular expression, so none hides in an
// unusual spelling.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** Bottom to top. A folder (or top-level file) of src/ may import only from its own floor or below. */
const FLOORS: string[][] = [
  ['model'],
  ['text', 'fs', 'lazy', 'process', 'process.ts'],
  ['ion'],
  ['config'],
  ['git', 'zip'],
  ['backends'],
  ['graph'],
  ['engine'],
  ['journal'],
  ['actions'],
  ['render', 'watch'],
  ['cli'],
];

const floorOf = (file: string): number => FLOORS.findIndex((names) => names.includes(file.split('/')[0]!));

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (/\.(ts|mts|cts|js|mjs|cjs)$/.test(name) && !/\.d\.[mc]?ts$/.test(name)) out.push(relative(SRC, path));
  }
  return out.sort();
}

/**
 * Every module specifier of a file, read by TypeScript's own parser, so that no
 * form slips past: `import`/`export … from` over any number of lines, `import
 * type`, `export * as`, `import x = require()`, `typeof import()`, and calls of
 * `import()` and `require()` (a createRequire'd require loads a module just as
 * well). A specifier that is not written out as a string (`import(name)`) is
 * returned as `null`: the graph cannot see where it leads.
 */
function specifiersOf(source: ts.SourceFile): (string | null)[] {
  const found: (string | null)[] = [];
  const literal = (node: ts.Node | undefined) => (node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : null);
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) found.push(literal(node.moduleSpecifier));
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) found.push(literal(node.moduleReference.expression));
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) found.push(literal(node.argument.literal));
    else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))
    ) {
      found.push(literal(node.arguments[0]));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const parse = (file: string, text: string) => ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);

const PROCESS_MODULE = /^(node:)?child_process$|^execa$/;

/**
 * Each file's imports: files of src/ (static and dynamic alike), packages, how
 * many specifiers are computed, and whether any string of its code names a
 * process module (however the call that loads it is spelt: `const req =
 * createRequire(…); req('node:child_process')`).
 */
function importsOf(file: string): { files: string[]; packages: string[]; computed: number; namesProcessModule: boolean } {
  const files: string[] = [];
  const packages: string[] = [];
  let computed = 0;
  const source = parse(file, readFileSync(join(SRC, file), 'utf8'));
  let namesProcessModule = false;
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) && PROCESS_MODULE.test(node.text)) namesProcessModule = true;
    ts.forEachChild(node, visit);
  };
  visit(source);
  for (const spec of specifiersOf(source)) {
    if (spec === null) {
      computed++;
      continue;
    }
    if (!spec.startsWith('.')) {
      packages.push(spec);
      continue;
    }
    const target = resolve(dirname(join(SRC, file)), spec);
    const found = [target, target.replace(/\.js$/, '.ts'), target.replace(/\.js$/, '.mts')].find((p) => existsSync(p) && statSync(p).isFile());
    // Build-time files may import what the build wrote to dist/: outside src/, not a floor.
    if (found?.startsWith(SRC)) files.push(relative(SRC, found));
  }
  return { files, packages, computed, namesProcessModule };
}

const FILES = sourceFiles(SRC);
const GRAPH = new Map(FILES.map((f) => [f, importsOf(f)]));

/** Circles of files (Tarjan's strongly connected components of two or more files, or a file importing itself). */
function circles(): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of GRAPH.get(v)?.files ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const part: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        part.push(w);
      } while (w !== v);
      if (part.length > 1 || GRAPH.get(v)?.files.includes(v)) found.push(part.sort());
    }
  };
  for (const f of FILES) if (!index.has(f)) visit(f);
  return found;
}

describe('the layers of src/', () => {
  it('puts every file on a floor', () => {
    expect(FILES.filter((f) => floorOf(f) < 0)).toEqual([]);
  });

  it('has no import from a lower floor to a higher one', () => {
    const upward = [...GRAPH].flatMap(([file, { files }]) => files.filter((target) => floorOf(target) > floorOf(file)).map((target) => `${file} -> ${target}`));
    expect(upward).toEqual([]);
  });

  it('has no circle of files', () => {
    expect(circles()).toEqual([]);
  });

  it('keeps graph/ and engine/ pure: no back end, git, zip, process or file system', () => {
    const IO = /^(backends|git|zip|process|process\.ts|fs|lazy|journal)(\/|$)/;
    const impure = [...GRAPH]
      .filter(([file]) => /^(graph|engine)\//.test(file))
      .flatMap(([file, { files, packages }]) => [
        ...files.filter((t) => IO.test(t)).map((t) => `${file} -> ${t}`),
        // node:crypto only makes run ids.
        ...packages.filter((p) => p !== 'node:crypto').map((p) => `${file} -> ${p}`),
      ]);
    expect(impure).toEqual([]);
  });

  it('names every module it loads, so the graph sees it', () => {
    // lazy/aws-sdk.ts picks a bundle or an @aws-sdk package by a typed name (see its header).
    const computed = [...GRAPH].filter(([, { computed }]) => computed > 0).map(([f]) => f);
    expect(computed).toEqual(['lazy/aws-sdk.ts']);
  });

  it('starts processes from one module only', () => {
    const starters = [...GRAPH]
      .filter(([, { packages, namesProcessModule }]) => namesProcessModule || packages.some((p) => PROCESS_MODULE.test(p)))
      .map(([f]) => f);
    expect(starters).toEqual(['process.ts']);
  });

  it('keeps every source file within 300 lines', () => {
    const long = FILES.filter((f) => !f.endsWith('.generated.ts'))
      .map((f) => ({ f, lines: readFileSync(join(SRC, f), 'utf8').split('\n').length - 1 }))
      .filter(({ lines }) => lines > 300);
    expect(long).toEqual([]);
  });

  it('reads every form of import (the check itself works)', () => {
    const text = [
      `import a from './a.js';`,
      `import type {\n  B,\n  C,\n} from './b.js';`,
      `export * from './c.js';`,
      `export * as d from './d.js';`,
      'const e = await import(`./e.js`);',
      `const f = require('node:child_process');`,
      `type G = typeof import('./g.js');`,
      // A computed specifier: the graph cannot follow it.
      `const h = await import(\`./\${name}.js\`);`,
      `// import i from './i.js';`,
      `const j = "import k from './k.js'";`,
    ].join('\n');
    expect(specifiersOf(parse('x.ts', text))).toEqual(['./a.js', './b.js', './c.js', './d.js', './e.js', 'node:child_process', './g.js', null]);
  });

  it('sees the imports it judges (the check itself works)', () => {
    expect(GRAPH.get('cli/main.ts')?.files.length).toBeGreaterThan(0);
    expect(floorOf('model/errors.ts')).toBe(0);
    expect(floorOf('cli/main.ts')).toBe(FLOORS.length - 1);
  });
});
