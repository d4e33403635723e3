// The YAML slips people make by hand, in plain words. A mis-indented line
// makes the yaml parser report two to six errors, often on the line before the
// real one, in its own terms ("Implicit keys need to be on a single line").
// Here each parser error's line and the line after it are read against the
// lines above them; the first that breaks the indentation is the one problem
// reported, saying which line it should line up with. Only when no such line is
// found do the parser's own messages stand, one per line.

const MAX_LOOKED_AT = 10;

export interface Slip {
  /** 1-based line and column of the line at fault. */
  line: number;
  col: number;
  message: string;
}

interface Line {
  n: number;
  indent: number;
  text: string;
  /** A list item (`- …` or a lone `-`). */
  item: boolean;
  /** Ends with `:`: the next lines may be indented more. */
  opens: boolean;
}

function readLines(source: string): (Line | undefined)[] {
  return source.split(/\r?\n/).map((raw, i) => {
    const text = raw.trim();
    if (text === '' || text.startsWith('#') || text === '---' || text === '...') return undefined;
    const bare = text.replace(/\s+#.*$/, '');
    return { n: i + 1, indent: raw.length - raw.trimStart().length, text, item: /^-(\s|$)/.test(text), opens: /:$/.test(bare) || bare === '-' };
  });
}

/** How a message names a line: `'root' (line 4)` for a key, else `line 4`. */
function named(l: Line): string {
  const key = /^([A-Za-z0-9_.-]+)\s*:/.exec(l.text)?.[1];
  return key ? `'${key}' (line ${l.n})` : `line ${l.n}`;
}

/** The significant line before line index `i`. */
function previous(lines: (Line | undefined)[], i: number, slipped: ReadonlySet<number>): Line | undefined {
  // A line already reported is read past: the next one lines up with what was meant, not with it.
  for (let j = i - 1; j >= 0; j--) if (lines[j] && !slipped.has(j + 1)) return lines[j];
  return undefined;
}

/**
 * The columns a dedent may line up with, from `from` up through the lines that
 * enclose it: an item's '-' (for another item), a key or an item's content (for
 * another key).
 */
function outline(lines: (Line | undefined)[], from: Line): { indent: number; item: boolean; line: Line }[] {
  const out: { indent: number; item: boolean; line: Line }[] = [];
  if (from.item) out.push({ indent: from.indent + 2, item: false, line: from });
  out.push({ indent: from.indent, item: from.item, line: from });
  let min = from.indent;
  for (let j = from.n - 2; j >= 0 && min > 0; j--) {
    const l = lines[j];
    if (!l || l.indent >= min) continue;
    out.push({ indent: l.indent, item: l.item, line: l });
    min = l.indent;
  }
  return out;
}

function diagnose(lines: (Line | undefined)[], index: number, slipped: ReadonlySet<number>): Slip | undefined {
  const l = lines[index];
  const p = l && previous(lines, index, slipped);
  if (!l || !p) return undefined;
  const at = (message: string): Slip => ({ line: l.n, col: l.indent + 1, message });
  if (/^-[^\s-]/.test(l.text) && (p.item || p.indent > l.indent)) {
    return at(`'${l.text}' is not a list item: put a space after '-'`);
  }
  if (l.indent > p.indent) {
    if (p.opens) return undefined;
    if (p.item && !l.item && l.indent === p.indent + 2) return undefined;
    if (p.item && l.item) return at(`this item is indented more than the list above it (line ${p.n}); line up its '-' with the others`);
    return at(`this line is indented more than ${named(p)}, which already has a value; keys of one map start at the same column`);
  }
  if (l.indent === p.indent) return undefined;
  const levels = outline(lines, p);
  if (levels.some((o) => o.indent === l.indent && o.item === l.item)) return undefined;
  const list = l.item ? [...levels].reverse().find((o) => o.item && o.indent > l.indent) : undefined;
  if (list) return at(`this item is indented less than the list above it (line ${list.line.n}); line up its '-' with the others`);
  const inner = [...levels].reverse().find((o) => o.indent > l.indent);
  const outer = levels.find((o) => o.indent < l.indent);
  const between = outer ? ` but more than ${named(outer.line)}` : '';
  return at(`this line is indented less than ${named(inner?.line ?? p)}${between}; keys of one map start at the same column`);
}

/**
 * The lines at fault for the parser errors on `errorLines` (1-based), one slip
 * each; empty when none of them is an indentation slip.
 */
export function indentationSlips(source: string, errorLines: number[]): Slip[] {
  const lines = readLines(source);
  const slips = new Map<number, Slip>();
  // The first few lines the parser stumbled on: what follows a slip is mostly its echo,
  // and each look back may read the whole file (validate stays linear in its size).
  for (const n of [...new Set(errorLines)].sort((a, b) => a - b).slice(0, MAX_LOOKED_AT)) {
    for (const index of [n - 1, n]) {
      const slip = diagnose(lines, index, new Set(slips.keys()));
      if (slip) {
        slips.set(slip.line, slip);
        break;
      }
    }
  }
  return [...slips.values()];
}
