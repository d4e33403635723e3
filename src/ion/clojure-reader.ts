// A structural reader for Clojure source (.clj/.cljc), enough to find a
// file's `ns` form and its top-level `def…` forms without a JVM (SPEC §15).
// Clojure is EDN plus reader macros; each macro becomes a form here, nothing
// is evaluated. The reader is a loop over the text with an explicit stack, so
// any nesting depth reads in time and memory linear in the file, and no input
// can overflow the JavaScript stack.

export type CljKind =
  | 'list' // ( )
  | 'vector' // [ ]
  | 'map' // { } and #:ns{ }
  | 'set' // #{ }
  | 'fn' // #( )
  | 'cond' // #?( )
  | 'cond-splice' // #?@( )
  | 'prefix' // ' ` ~ ~@ @ #' #= : text is the macro, items the one form
  | 'tagged' // #inst "…", #uuid "…", #my/tag form: text is the tag
  | 'string'
  | 'regex'
  | 'char'
  | 'token'; // symbols, keywords, numbers, ##Inf

export interface CljForm {
  kind: CljKind;
  /** Offset of the form's first character. */
  start: number;
  text: string;
  items: CljForm[];
  /** `^meta` forms written before this one, outermost first. */
  meta?: CljForm[];
}

export class CljSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

type Pending =
  | { kind: 'discard'; start: number }
  | { kind: 'prefix'; start: number; text: string }
  | { kind: 'tagged'; start: number; text: string }
  | { kind: 'meta'; start: number; meta?: CljForm };

interface Frame {
  form: CljForm;
  closer: string;
  pending: Pending[];
}

const OPENERS: Record<string, [CljKind, string]> = {
  '(': ['list', ')'],
  '[': ['vector', ']'],
  '{': ['map', '}'],
  '#{': ['set', '}'],
  '#(': ['fn', ')'],
  '#?(': ['cond', ')'],
  '#?@(': ['cond-splice', ')'],
};
// Clojure's terminating macro characters end a token; ' and # do not (a'b, foo#).
const TERMINATORS = new Set([...'";@^`~()[]{}\\']);
const isSpace = (c: string): boolean =>
  c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === ',' || c === '\f' || c === '\uFEFF' || (c > '\x7f' && /\s/.test(c));
const ends = (c: string): boolean => isSpace(c) || TERMINATORS.has(c);

/** Quote, syntax-quote, unquote and deref each wrap the next form. */
const PREFIXES = new Set([..."'`@~"]);

/** Every top-level form of a Clojure file; throws CljSyntaxError at the offending offset. */
export function readClojureForms(text: string): CljForm[] {
  const root: CljForm = { kind: 'list', start: 0, text: '', items: [] };
  const stack: Frame[] = [{ form: root, closer: '', pending: [] }];
  let i = 0;

  const token = (): string => {
    const begin = i;
    while (i < text.length && !ends(text[i]!)) i++;
    return text.slice(begin, i);
  };
  const skipLine = () => {
    while (i < text.length && text[i] !== '\n') i++;
  };
  /** Past the closing quote of a string or regex that starts at i. */
  const skipQuoted = (start: number, what: string) => {
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) throw new CljSyntaxError(`${what} is never closed (missing ")`, start);
    i++;
  };

  // A finished form goes through the reader macros waiting for it, innermost first.
  const deliver = (done: CljForm) => {
    let form = done;
    const frame = stack[stack.length - 1]!;
    for (;;) {
      const p = frame.pending.pop();
      if (!p) {
        frame.form.items.push(form);
        return;
      }
      if (p.kind === 'discard') return;
      if (p.kind === 'meta') {
        if (!p.meta) {
          p.meta = form;
          frame.pending.push(p); // now waiting for the form the metadata is for
          return;
        }
        form.meta = [p.meta, ...(form.meta ?? [])];
        continue;
      }
      form = { kind: p.kind, start: p.start, text: p.text, items: [form] };
    }
  };
  const open = (opener: string, start: number, length: number) => {
    const [kind, closer] = OPENERS[opener]!;
    i += length;
    stack.push({ form: { kind, start, text: opener, items: [] }, closer, pending: [] });
  };
  const unfinished = (p: Pending): string => (p.kind === 'discard' ? '#_' : p.kind === 'meta' ? '^' : p.kind === 'tagged' ? `#${p.text}` : p.text);

  while (i < text.length) {
    const c = text[i]!;
    const start = i;
    if (isSpace(c)) {
      i++;
    } else if (c === ';') {
      skipLine();
    } else if (c === '(' || c === '[' || c === '{') {
      open(c, start, 1);
    } else if (c === ')' || c === ']' || c === '}') {
      const frame = stack[stack.length - 1]!;
      if (stack.length === 1) throw new CljSyntaxError(`unexpected '${c}' (nothing to close)`, start);
      if (c !== frame.closer) throw new CljSyntaxError(`expected '${frame.closer}' to close '${frame.form.text}', found '${c}'`, start);
      const waiting = frame.pending[frame.pending.length - 1];
      if (waiting) throw new CljSyntaxError(`${unfinished(waiting)} is not followed by a form`, waiting.start);
      i++;
      stack.pop();
      deliver(frame.form);
    } else if (c === '"') {
      skipQuoted(start, 'string');
      deliver({ kind: 'string', start, text: text.slice(start, i), items: [] });
    } else if (c === '\\') {
      // The character right after the backslash always belongs to the literal: \( \" \; \space \u00e9.
      i++;
      if (i >= text.length) throw new CljSyntaxError('character literal without a character', start);
      i++;
      token();
      deliver({ kind: 'char', start, text: text.slice(start, i), items: [] });
    } else if (c === '^') {
      i++;
      stack[stack.length - 1]!.pending.push({ kind: 'meta', start });
    } else if (c === '~' && text[i + 1] === '@') {
      i += 2;
      stack[stack.length - 1]!.pending.push({ kind: 'prefix', start, text: '~@' });
    } else if (PREFIXES.has(c)) {
      i++;
      stack[stack.length - 1]!.pending.push({ kind: 'prefix', start, text: c });
    } else if (c === '#') {
      readDispatch(start);
    } else {
      deliver({ kind: 'token', start, text: token(), items: [] });
    }
  }

  function readDispatch(start: number) {
    const d = text[i + 1];
    const pending = stack[stack.length - 1]!.pending;
    if (d === '{' || d === '(') open(`#${d}`, start, 2);
    else if (d === '?' && text[i + 2] === '(') open('#?(', start, 3);
    else if (d === '?' && text[i + 2] === '@' && text[i + 3] === '(') open('#?@(', start, 4);
    else if (d === '"') {
      i++;
      skipQuoted(start, 'regex');
      deliver({ kind: 'regex', start, text: text.slice(start, i), items: [] });
    } else if (d === '_') {
      i += 2;
      pending.push({ kind: 'discard', start });
    } else if (d === "'" || d === '=') {
      i += 2;
      pending.push({ kind: 'prefix', start, text: `#${d}` });
    } else if (d === '^') {
      i += 2;
      pending.push({ kind: 'meta', start });
    } else if (d === '!') {
      skipLine();
    } else if (d === '#') {
      i += 2;
      deliver({ kind: 'token', start, text: `##${token()}`, items: [] });
    } else if (d === ':') {
      // A namespaced map: #:db{…}, #::{…}, #::alias{…}; Clojure allows space before the brace.
      i++;
      const ns = token();
      while (i < text.length && isSpace(text[i]!)) i++;
      if (text[i] !== '{') throw new CljSyntaxError(`namespaced map #${ns} must be followed by {`, start);
      open('{', start, 1);
      stack[stack.length - 1]!.form.text = `#${ns}{`;
    } else {
      i++;
      const tag = token();
      if (!tag) throw new CljSyntaxError(`unexpected '#${d ?? ''}'`, start);
      pending.push({ kind: 'tagged', start, text: tag });
    }
  }

  if (stack.length > 1) {
    const frame = stack[stack.length - 1]!;
    throw new CljSyntaxError(`'${frame.form.text}' is never closed (missing '${frame.closer}')`, frame.form.start);
  }
  const waiting = stack[0]!.pending[stack[0]!.pending.length - 1];
  if (waiting) throw new CljSyntaxError(`${unfinished(waiting)} is not followed by a form`, waiting.start);
  return root.items;
}
