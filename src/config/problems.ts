// A config problem is a message at a place in a file. Problems are collected,
// never thrown one by one, so the user sees every one at once (SPEC §3) as
// `file:LINE:COL: message` plus a short code frame.

import { IonflowError } from '../errors.js';

export interface Problem {
  /** The file as shown to the user (relative to the working folder when inside it). */
  file: string;
  line: number;
  col: number;
  message: string;
  /** The source text, for the code frame; omitted when unknown. */
  source?: string;
  /** A warning is printed but fails nothing (SPEC §15); a problem without severity is an error. */
  severity?: 'warning';
}

/** Three lines around the problem, with a caret under its column. */
export function codeFrame(source: string, line: number, col: number): string[] {
  const lines = source.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop(); // the final newline ends a line, it starts none
  const width = String(Math.min(line + 1, lines.length)).length;
  const out: string[] = [];
  for (let n = Math.max(1, line - 1); n <= Math.max(line, Math.min(lines.length, line + 1)); n++) {
    const mark = n === line ? '>' : ' ';
    out.push(`${mark} ${String(n).padStart(width)} | ${lines[n - 1] ?? ''}`.trimEnd());
    if (n === line) out.push(`  ${' '.repeat(width)} | ${' '.repeat(Math.max(0, col - 1))}^`);
  }
  return out;
}

export function formatProblem(p: Problem): string[] {
  if (p.severity === 'warning') return [`${p.file}:${p.line}:${p.col}: warning: ${p.message}`];
  const head = `${p.file}:${p.line}:${p.col}: ${p.message}`;
  return p.source === undefined ? [head] : [head, ...codeFrame(p.source, p.line, p.col)];
}

/** Sorted by file and place; the same problem found twice (two apps sharing one ion-config.edn) is reported once. */
export function sortProblems(problems: Problem[]): Problem[] {
  const unique = new Map(problems.map((p) => [`${p.file}:${p.line}:${p.col}: ${p.message}`, p]));
  return [...unique.values()].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col);
}

/** The usage error (exit 2) that carries every problem as detail lines. */
export function problemsError(problems: Problem[], mainFile: string): IonflowError {
  const sorted = sortProblems(problems);
  const files = [mainFile, ...new Set(sorted.map((p) => p.file))].filter((f, i, all) => all.indexOf(f) === i);
  const inFiles = files.filter((f) => f === mainFile ? sorted.some((p) => p.file === f) : true);
  const count = sorted.length === 1 ? '1 problem' : `${sorted.length} problems`;
  return new IonflowError('usage', `${count} in ${(inFiles.length ? inFiles : [mainFile]).join(', ')}`, {
    details: sorted.flatMap(formatProblem),
  });
}
