// A command's output as lines, in bounded memory: a splitter per stream (a
// chunk may end mid-line, a line may never end) and one tail of the newest
// lines of both streams, interleaved as they arrived. A hook that prints 50 MB
// costs at most MAX_LINE + HOLD_BACK + the tail's size here, whatever it prints.

import { StringDecoder } from 'node:string_decoder';

/** Longer lines are cut into pieces of this many characters. */
export const MAX_LINE = 8 * 1024;
/**
 * Characters of an unfinished long line kept back when it is cut: a secret
 * that starts there may end in the next chunk (a session token is ~1-2 KB).
 */
const HOLD_BACK = 4 * 1024;

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  constructor(
    private readonly onLine: (line: string) => void,
    /** Masks secrets; applied before a long line is cut, so no secret is split across two pieces. */
    private readonly redact: (text: string) => string = (text) => text,
  ) {}

  write(chunk: Buffer): void {
    let text = this.partial + this.decoder.write(chunk);
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl !== -1; nl = text.indexOf('\n', start)) {
      this.emit(text.slice(start, nl));
      start = nl + 1;
    }
    text = text.slice(start);
    if (text.length > MAX_LINE + HOLD_BACK) {
      // Every secret wholly in the text is masked before the cut; one that
      // is not yet whole starts in the kept-back end.
      text = this.redact(text);
      while (text.length > MAX_LINE + HOLD_BACK) {
        this.emit(text.slice(0, MAX_LINE));
        text = text.slice(MAX_LINE);
      }
    }
    this.partial = text;
  }

  /** The last line, when the output did not end with a newline. */
  end(): void {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    if (rest !== '') this.emit(rest);
  }

  private emit(line: string): void {
    this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  }
}

export class OutputTail {
  private lines: string[] = [];
  private chars = 0;
  /** Lines dropped from the head so far. */
  dropped = 0;

  constructor(
    private readonly maxChars: number,
    private readonly maxLines = 2000,
  ) {}

  push(line: string): void {
    this.lines.push(line);
    this.chars += line.length + 1;
    // Trim in batches: shifting one line at a time would be quadratic.
    if (this.chars > this.maxChars * 2 || this.lines.length > this.maxLines * 2) this.trim();
  }

  text(): string {
    this.trim();
    return this.lines.join('\n');
  }

  private trim(): void {
    let drop = Math.max(0, this.lines.length - this.maxLines);
    let chars = this.chars;
    for (let i = 0; i < drop; i++) chars -= this.lines[i]!.length + 1;
    while (drop < this.lines.length - 1 && chars > this.maxChars) chars -= this.lines[drop++]!.length + 1;
    if (drop === 0) return;
    this.lines = this.lines.slice(drop);
    this.chars = chars;
    this.dropped += drop;
  }
}
