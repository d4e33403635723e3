// The layout of STYLE.md "A layout that shows the architecture", checked on
// every test run: src/ reads in floors from model/ at the bottom to cli/ at
// the top, an import only points down (or sideways within a floor), no files
// import each other in a circle, one module starts processes, and no source
// file outgrows 300 lines.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
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
    else if (/\.(ts|mts|mjs)$/.test(name) && !name.endsWith('.d.mts')) out.push(relative(SRC, path));
  }
  return out.sort();
}

const SPECIFIER = /(?:^|\n)\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g;

/** Each file's imports: files of src/ (static and dynamic alike) and packages. */
function importsOf(file: string): { files: string[]; packages: string[] } {
  const text = readFileSync(join(SRC, file), 'utf8');
  const files: string[] = [];
  const packages: string[] = [];
  for (const m of text.matchAll(SPECIFIER)) {
    const spec = (m[1] ?? m[2] ?? m[3])!;
    if (!spec.startsWith('.')) {
      packages.push(spec);
      continue;
    }
    const target = resolve(dirname(join(SRC, file)), spec);
    const found = [target, target.replace(/\.js$/, '.ts'), target.replace(/\.js$/, '.mts')].find((p) => existsSync(p) && statSync(p).isFile());
    // Build-time files may import what the build wrote to dist/: outside src/, not a floor.
    if (found?.startsWith(SRC)) files.push(relative(SRC, found));
  }
  return { files, packages };
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
    const upward = [...GRAPH].flatMap(([file, { files }]) =>
      files.filter((target) => floorOf(target) > floorOf(file)).map((target) => `${file} -> ${target}`),
    );
    expect(upward).toEqual([]);
  });

  it('has no circle of files', () => {
    expect(circles()).toEqual([]);
  });

  it('starts processes from one module only', () => {
    const starters = [...GRAPH].filter(([, { packages }]) => packages.some((p) => /^(node:)?child_process$|^execa$/.test(p))).map(([f]) => f);
    expect(starters).toEqual(['process.ts']);
  });

  it('keeps every source file within 300 lines', () => {
    const long = FILES.filter((f) => !f.endsWith('.generated.ts'))
      .map((f) => ({ f, lines: readFileSync(join(SRC, f), 'utf8').split('\n').length - 1 }))
      .filter(({ lines }) => lines > 300);
    expect(long).toEqual([]);
  });

  it('sees the imports it judges (the check itself works)', () => {
    expect(GRAPH.get('cli/main.ts')?.files.length).toBeGreaterThan(0);
    expect(floorOf('model/errors.ts')).toBe(0);
    expect(floorOf('cli/main.ts')).toBe(FLOORS.length - 1);
  });
});
