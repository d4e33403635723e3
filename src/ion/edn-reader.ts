// A small structural EDN reader that knows where every form starts. edn-data
// (the reader of record for values) gives no positions and quietly accepts
// unbalanced input, so this pass finds syntax errors with line:col and lets
// the checks point at the offending key or value.

export type FormKind = 'map' | 'vector' | 'list' | 'set' | 'tagged' | 'scalar';

export interface Form {
  kind: FormKind;
  /** Offset of the form's first character. */
  start: number;
  /** The token of a scalar (`:app-name`, `"text"`, `42`, `my.ns/fn`); the tag of a tagged form. */
  text: string;
  items: Form[];
}

export class EdnSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const CLOSERS: Record<string, string> = { '(': ')', '[': ']', '{': '}', '#{': '}' };
const KINDS: Record<string, FormKind> = { '(': 'list', '[': 'vector', '{': 'map', '#{': 'set' };
const DELIMITERS = new Set([...' \t\r\n,;()[]{}"']);

/** Deeper nesting is refused: ion-config.edn needs four levels, and each level is a frame of the reader's stack. */
export const MAX_EDN_DEPTH = 100;

export function readEdnForms(text: string): Form[] {
  let i = 0;
  let depth = 0;

  const skipSpace = () => {
    while (i < text.length) {
      const c = text[i]!;
      if (c === ';') while (i < text.length && text[i] !== '\n') i++;
      else if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === ',') i++;
      else break;
    }
  };

  const readToken = (): string => {
    const begin = i;
    while (i < text.length && !DELIMITERS.has(text[i]!)) i++;
    return text.slice(begin, i);
  };

  /** One form, or undefined at a closing bracket or the end (the caller decides whether that is fine). */
  const readForm = (): Form | undefined => {
    skipSpace();
    if (depth >= MAX_EDN_DEPTH && i < text.length && !')]}'.includes(text[i]!)) throw new EdnSyntaxError(`nested more than ${MAX_EDN_DEPTH} levels deep`, i);
    depth++;
    try {
      return readOne();
    } finally {
      depth--;
    }
  };

  const readOne = (): Form | undefined => {
    if (i >= text.length) return undefined;
    const start = i;
    const c = text[i]!;
    if (c === ')' || c === ']' || c === '}') return undefined;
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      if (i >= text.length) throw new EdnSyntaxError('string is never closed (missing ")', start);
      i++;
      return { kind: 'scalar', start, text: text.slice(start, i), items: [] };
    }
    if (c === '\\') {
      i++;
      if (i >= text.length) throw new EdnSyntaxError('character literal without a character', start);
      i++;
      const name = text[i - 1]! + readToken();
      if (!name) throw new EdnSyntaxError('character literal without a character', start);
      return { kind: 'scalar', start, text: `\\${name}`, items: [] };
    }
    const opener = c === '#' && text[i + 1] === '{' ? '#{' : c;
    if (CLOSERS[opener]) {
      i += opener.length;
      const items = readForms();
      if (i >= text.length) throw new EdnSyntaxError(`'${opener}' is never closed (missing '${CLOSERS[opener]}')`, start);
      if (text[i] !== CLOSERS[opener]) {
        throw new EdnSyntaxError(`expected '${CLOSERS[opener]}' to close '${opener}', found '${text[i]}'`, i);
      }
      i++;
      const kind = KINDS[opener]!;
      if (kind === 'map' && items.length % 2 === 1) {
        throw new EdnSyntaxError(`map has a key without a value (${items[items.length - 1]!.text || 'last item'})`, items[items.length - 1]!.start);
      }
      return { kind, start, text: opener, items };
    }
    if (c === '#' && text[i + 1] === '_') {
      i += 2;
      if (!readForm()) throw new EdnSyntaxError('#_ discards nothing', start);
      return readForm();
    }
    if (c === '#') {
      i++;
      const tag = readToken();
      if (!tag) throw new EdnSyntaxError(`unexpected '#'`, start);
      const value = readForm();
      if (!value) throw new EdnSyntaxError(`tag #${tag} has no value`, start);
      return { kind: 'tagged', start, text: tag, items: [value] };
    }
    return { kind: 'scalar', start, text: readToken(), items: [] };
  };

  /** Forms up to a closing bracket or the end. */
  function readForms(): Form[] {
    const forms: Form[] = [];
    for (let form = readForm(); form; form = readForm()) forms.push(form);
    return forms;
  }

  const forms = readForms();
  if (i < text.length) throw new EdnSyntaxError(`unexpected '${text[i]}' (nothing to close)`, i);
  return forms;
}

/** Where each line starts, for the last text asked about: many problems in one file stay linear. */
let lineStarts: { text: string; starts: number[] } | undefined;

/** Offset → 1-based line and column. */
export function linePos(text: string, offset: number): { line: number; col: number } {
  if (lineStarts?.text !== text) {
    const starts = [0];
    for (let k = text.indexOf('\n'); k !== -1; k = text.indexOf('\n', k + 1)) starts.push(k + 1);
    lineStarts = { text, starts };
  }
  const { starts } = lineStarts;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, col: offset - starts[lo]! + 1 };
}

export const isKeyword = (f: Form | undefined): boolean => f?.kind === 'scalar' && /^:[^:]/.test(f.text);
export const isString = (f: Form | undefined): boolean => f?.kind === 'scalar' && f.text.startsWith('"');
export const isInteger = (f: Form | undefined): boolean => f?.kind === 'scalar' && /^[+-]?\d+N?$/.test(f.text);
/** A fully qualified symbol: `ns/name`, both parts non-empty. */
export const isQualifiedSymbol = (f: Form | undefined): boolean =>
  f?.kind === 'scalar' && /^[A-Za-z*!_?$%&=<>.+-][^/\s]*\/[^/\s]+$/.test(f.text) && !/^[+-]?\d/.test(f.text);

/** The pairs of a map form, in written order. */
export function mapPairs(form: Form): [Form, Form][] {
  const pairs: [Form, Form][] = [];
  for (let k = 0; k + 1 < form.items.length; k += 2) pairs.push([form.items[k]!, form.items[k + 1]!]);
  return pairs;
}
