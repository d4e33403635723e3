// A lean reader of the tar `git archive --format=tar` writes: ustar headers,
// pax records for long paths, link targets and big sizes, a pax global header
// with the commit id. tar-stream read it before (issue 18): a stream, an event
// and a promise chain per entry made a third of the main thread's time on a
// push of thousands of small files. Here headers are parsed straight from the
// chunks git writes, and a small file's content is copied out in one go.
// Checks as tar-stream's: header checksum, ustar or GNU magic, no truncation.

const BLOCK = 512;
const EMPTY: Buffer = Buffer.alloc(0);
const TYPES: Record<number, string> = {
  0: 'file',
  48: 'file',
  49: 'link',
  50: 'symlink',
  51: 'character-device',
  52: 'block-device',
  53: 'directory',
  54: 'fifo',
  55: 'contiguous-file',
};

export interface TarEntry {
  type: string;
  /** The path's bytes: from the header (prefix/name) or, if `paxPath`, the pax record's. */
  name: Buffer;
  paxPath: boolean;
  linkname: Buffer;
  paxLinkpath: boolean;
  mode: number;
  /** Seconds since the epoch. */
  mtime: number;
  size: number;
}

/** A header's octal number field (or base-256, for big values), as tar-stream reads it. */
function octal(b: Buffer, at: number, length: number): number {
  const end = at + length;
  if (b[at]! & 0x80) {
    let n = b[at]! & 0x7f;
    for (let i = at + 1; i < end; i++) n = n * 256 + b[i]!;
    return n;
  }
  let i = at;
  while (i < end && (b[i] === 32 || b[i] === 48)) i++;
  let n = 0;
  for (; i < end; i++) {
    const d = b[i]! - 48;
    if (d < 0 || d > 7) break;
    n = n * 8 + d;
  }
  return n;
}

function field(b: Buffer, at: number, length: number): Buffer {
  const f = b.subarray(at, at + length);
  const nul = f.indexOf(0);
  return nul === -1 ? f : f.subarray(0, nul);
}

/** The checksum a header should carry: its bytes summed, the checksum field counted as spaces. */
function checksum(b: Buffer, at: number): number {
  let sum = 8 * 32;
  for (let i = at; i < at + 148; i++) sum += b[i]!;
  for (let i = at + 156; i < at + BLOCK; i++) sum += b[i]!;
  return sum;
}

/** pax records (`length key=value\n`), values as raw bytes. */
function paxRecords(b: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let at = 0;
  while (at < b.length) {
    const space = b.indexOf(32, at);
    const length = space === -1 ? 0 : Number.parseInt(b.toString('latin1', at, space), 10);
    if (!length) break;
    const equals = b.indexOf(61, space);
    if (equals === -1 || equals >= at + length) break;
    out.set(b.toString('utf8', space + 1, equals), b.subarray(equals + 1, at + length - 1));
    at += length;
  }
  return out;
}

export class TarReader {
  private chunk: Buffer = EMPTY;
  private pos = 0;
  // Bytes of the current entry's content (and padding) not yet read.
  private left = 0;

  constructor(private readonly source: AsyncIterator<Buffer>) {}

  /** Makes `n` bytes readable at `pos`; false if the tar ends first. */
  private async need(n: number): Promise<boolean> {
    while (this.chunk.length - this.pos < n) {
      const next = await this.source.next();
      if (next.done) return false;
      const chunk = next.value;
      this.chunk = this.pos === this.chunk.length ? chunk : Buffer.concat([this.chunk.subarray(this.pos), chunk]);
      this.pos = 0;
    }
    return true;
  }

  /** Skips what is left of the current entry. */
  private async skipRest(): Promise<void> {
    while (this.left > 0) {
      if (this.pos === this.chunk.length && !(await this.need(1))) throw new Error('Unexpected end of data');
      const take = Math.min(this.left, this.chunk.length - this.pos);
      this.pos += take;
      this.left -= take;
    }
  }

  private async block(): Promise<Buffer | undefined> {
    if (!(await this.need(BLOCK))) {
      if (this.pos < this.chunk.length) throw new Error('Unexpected end of data');
      return undefined;
    }
    return this.chunk;
  }

  /** The next entry's header, or undefined at the end of the tar. */
  async next(): Promise<TarEntry | undefined> {
    if (this.left > 0) await this.skipRest();
    let pax: Map<string, Buffer> | undefined;
    for (;;) {
      const b = this.chunk.length - this.pos >= BLOCK ? this.chunk : await this.block();
      if (!b) return undefined;
      const at = this.pos;
      this.pos += BLOCK;
      const sum = checksum(b, at);
      if (sum === 8 * 32) continue; // a zero block
      if (sum !== octal(b, at + 148, 8)) throw new Error('Invalid tar header. Maybe the tar is corrupted or it needs to be gunzipped?');
      const ustar = b.readUInt32BE(at + 257) === 0x75737461 && b[at + 261] === 0x72 && b[at + 262] === 0;
      const gnu = b.readUInt32BE(at + 257) === 0x75737461 && b[at + 261] === 0x72 && b[at + 262] === 0x20;
      if (!ustar && !gnu) throw new Error('Invalid tar header: unknown format.');
      let size = octal(b, at + 124, 12);
      const flag = b[at + 156]!;
      if (flag === 0x78 || flag === 0x67) {
        // pax records: 'x' for the next entry, 'g' global (git's holds the commit id, nothing an entry uses)
        if (!(await this.need(size))) throw new Error('Unexpected end of data');
        const records = paxRecords(this.chunk.subarray(this.pos, this.pos + size));
        if (flag === 0x78) pax = records;
        this.pos += size;
        this.left = (BLOCK - (size % BLOCK)) % BLOCK;
        await this.skipRest();
        continue;
      }
      let name = field(b, at, 100);
      if (ustar && b[at + 345] !== 0) name = Buffer.concat([field(b, at + 345, 155), Buffer.from('/'), name]);
      else name = Buffer.from(name);
      let type = TYPES[flag] ?? `type ${flag}`;
      if (flag === 0 && name.at(-1) === 47) type = 'directory';
      const paxPath = pax?.get('path');
      const paxLink = pax?.get('linkpath');
      const paxSize = pax?.get('size');
      if (paxSize?.length) size = Number.parseInt(paxSize.toString('latin1'), 10);
      const entry: TarEntry = {
        type,
        name: paxPath?.length ? paxPath : name,
        paxPath: paxPath !== undefined,
        linkname: paxLink?.length ? paxLink : b[at + 157] === 0 ? EMPTY : Buffer.from(field(b, at + 157, 100)),
        paxLinkpath: paxLink !== undefined,
        mode: octal(b, at + 100, 8),
        mtime: octal(b, at + 136, 12),
        size: type === 'directory' ? 0 : size,
      };
      this.left = entry.size + ((BLOCK - (entry.size % BLOCK)) % BLOCK);
      return entry;
    }
  }

  /** The current entry's whole content (`size` bytes), copied into a Buffer of its own. */
  async content(size: number): Promise<Buffer> {
    const out = Buffer.allocUnsafe(size);
    let got = 0;
    while (got < size) {
      if (this.pos === this.chunk.length && !(await this.need(1))) throw new Error('Unexpected end of data');
      const take = Math.min(size - got, this.chunk.length - this.pos);
      this.chunk.copy(out, got, this.pos, this.pos + take);
      this.pos += take;
      got += take;
    }
    this.left -= size;
    return out;
  }

  /** The current entry's content (`size` bytes) in the pieces it arrives in. */
  async *stream(size: number): AsyncGenerator<Buffer> {
    let rest = size;
    while (rest > 0) {
      if (this.pos === this.chunk.length && !(await this.need(1))) throw new Error('Unexpected end of data');
      const take = Math.min(rest, this.chunk.length - this.pos);
      const piece = this.chunk.subarray(this.pos, this.pos + take);
      this.pos += take;
      this.left -= take;
      rest -= take;
      yield piece;
    }
  }
}
