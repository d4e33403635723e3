// A config problem is a message at a place in a file. Problems are collected,
// never thrown one by one, so the user sees every one at once (SPEC §3) as
// `file:LINE:COL: message` plus a short code frame.

import { IonflowError } from './errors.js';

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

const FRAME_WIDTH = 160;

let split: { source: string; lines: string[] } | undefined;

/** The source's lines, split once for all the problems of one file. */
function linesOf(source: string): string[] {
  if (split?.source !== source) {
    const lines = source.split(/\r?\n/);
    if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop(); // the final newline ends a line, it starts none
    split = { source, lines };
  }
  return split.lines;
}

/** Three lines around the problem, with a caret under its column. */
export function codeFrame(source: string, line: number, col: number): string[] {
  const lines = linesOf(source);
  const width = String(Math.min(line + 1, lines.length)).length;
  const out: string[] = [];
  // A long line (a minified or hostile file) is shown as a window around the column.
  const from = Math.max(0, col - 1 - FRAME_WIDTH / 2);
  const clip = (text: string) =>
    text.length <= FRAME_WIDTH && from === 0
      ? text
      : `${from > 0 && text.length > from ? '…' : ''}${text.slice(from, from + FRAME_WIDTH)}${text.length > from + FRAME_WIDTH ? '…' : ''}`;
  const caret = col - from + (from > 0 ? 1 : 0);
  for (let n = Math.max(1, line - 1); n <= Math.max(line, Math.min(lines.length, line + 1)); n++) {
    const mark = n === line ? '>' : ' ';
    out.push(`${mark} ${String(n).padStart(width)} | ${clip(lines[n - 1] ?? '')}`.trimEnd());
    if (n === line) out.push(`  ${' '.repeat(width)} | ${' '.repeat(Math.max(0, caret - 1))}^`);
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

/** Shown with their code frames; the rest are counted (SPEC §17). */
export const MAX_SHOWN_PROBLEMS = 50;

/** The usage error (exit 2) that carries the first problems as detail lines and counts the rest. */
export function problemsError(problems: Problem[], mainFile: string): IonflowError {
  const sorted = sortProblems(problems);
  const shown = sorted.slice(0, MAX_SHOWN_PROBLEMS);
  const more = sorted.length - shown.length;
  const files = [mainFile, ...new Set(sorted.map((p) => p.file))].filter((f, i, all) => all.indexOf(f) === i);
  const inFiles = files.filter((f) => (f === mainFile ? sorted.some((p) => p.file === f) : true));
  const count = sorted.length === 1 ? '1 problem' : `${sorted.length} problems`;
  return new IonflowError('usage', `${count} in ${(inFiles.length ? inFiles : [mainFile]).join(', ')}`, {
    details: [...shown.flatMap(formatProblem), ...(more > 0 ? [`... and ${more} more problem${more === 1 ? '' : 's'} not shown`] : [])],
  });
}
