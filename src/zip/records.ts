// The byte layout of the zips ionflow writes: the layout `git archive
// --format=zip` uses (local header with an extended-timestamp extra, version
// fields, text flag, zip64 only where git puts it, the commit id as the archive
// comment), so a revision looks to every unzip exactly like git's own zip.
// Only the deflate streams differ: they come from Node's zlib.

import { isUtf8 } from 'node:buffer';

const U32 = 0xffffffff;
const STREAMED = 1 << 3; // sizes and crc follow the data, in a data descriptor
const UTF8 = 1 << 11;
const UNIX_CREATOR = 0x0317;
const DOS_DIRECTORY = 16;
// How far git looks for a NUL byte to call content binary.
const BINARY_PROBE = 8000;

export type Method = 0 | 8;

/** One archive entry, as the central directory will describe it. */
export interface EntryInfo {
  name: Buffer;
  kind: 'directory' | 'file' | 'symlink';
  executable: boolean;
  /** Seconds since the epoch: the commit time, for every entry. */
  mtime: number;
  method: Method;
  crc: number;
  size: number;
  compressedSize: number;
  /** Set when the content starts with no NUL byte (git's text test). */
  text: boolean;
  /** Written with a data descriptor, for content too big to hold in memory. */
  streamed: boolean;
}

export function isText(head: Uint8Array): boolean {
  return !head.subarray(0, BINARY_PROBE).includes(0);
}

// Every entry of a zip has the commit's time: the fields are worked out once.
let lastDos = { seconds: Number.NaN, date: 0, time: 0 };

/** MS-DOS date and time fields. UTC, so that a revision's bytes do not depend on the machine's time zone. */
function dosDateTime(seconds: number): { date: number; time: number } {
  if (seconds === lastDos.seconds) return lastDos;
  const t = new Date(seconds * 1000);
  const date = t.getUTCDate() + (t.getUTCMonth() + 1) * 32 + (t.getUTCFullYear() - 1980) * 512;
  const time = Math.floor(t.getUTCSeconds() / 2) + t.getUTCMinutes() * 32 + t.getUTCHours() * 2048;
  lastDos = { seconds, date: date & 0xffff, time: time & 0xffff };
  return lastDos;
}

function ascii(name: Buffer): boolean {
  for (let i = 0; i < name.length; i++) if (name[i]! > 0x7f) return false;
  return true;
}

function flags(e: EntryInfo): number {
  // Like git: names that are not plain ASCII are flagged UTF-8 when they are; other bytes go as they are.
  return (e.streamed ? STREAMED : 0) | (!ascii(e.name) && isUtf8(e.name) ? UTF8 : 0);
}

export function creatorVersion(e: EntryInfo): number {
  return e.kind === 'symlink' || (e.kind === 'file' && e.executable) ? UNIX_CREATOR : 0;
}

function externalAttributes(e: EntryInfo): number {
  if (e.kind === 'directory') return DOS_DIRECTORY;
  if (e.kind === 'symlink') return 0o120777 * 0x10000;
  return e.executable ? 0o100755 * 0x10000 : 0;
}

/** The zip64 extra in a local header: git adds it for sizes over 4 GiB, and for streamed content over 2 GiB. */
function localNeedsZip64(e: EntryInfo): boolean {
  return e.size > U32 || e.compressedSize > U32 || (e.streamed && e.size > 0x7fffffff);
}

const TIMESTAMP_EXTRA = 9;

/** The extended-timestamp extra field, written into `b` at `at`. */
function timestampExtra(e: EntryInfo, b: Buffer, at: number): void {
  b.writeUInt16LE(0x5455, at);
  b.writeUInt16LE(5, at + 2);
  b.writeUInt8(1, at + 4); // mtime only
  b.writeUInt32LE(e.mtime >>> 0, at + 5);
}

/** The fields local header and central record share: version needed, flags, method, time, date, crc. */
function writeShared(b: Buffer, at: number, e: EntryInfo): void {
  const { date, time } = dosDateTime(e.mtime);
  b.writeUInt16LE(localNeedsZip64(e) ? 45 : 10, at);
  b.writeUInt16LE(flags(e), at + 2);
  b.writeUInt16LE(e.method, at + 4);
  b.writeUInt16LE(time, at + 6);
  b.writeUInt16LE(date, at + 8);
  b.writeUInt32LE(e.crc >>> 0, at + 10);
}

/**
 * The local file header. For a streamed entry git writes the size it knows
 * and leaves crc and compressed size to the data descriptor.
 */
export function localHeader(e: EntryInfo): Buffer {
  const zip64 = localNeedsZip64(e);
  const h = Buffer.alloc(30 + e.name.length + TIMESTAMP_EXTRA + (zip64 ? 20 : 0));
  h.writeUInt32LE(0x04034b50, 0);
  writeShared(h, 4, e);
  h.writeUInt32LE(zip64 ? U32 : e.compressedSize, 18);
  h.writeUInt32LE(zip64 ? U32 : e.size, 22);
  h.writeUInt16LE(e.name.length, 26);
  h.writeUInt16LE(h.length - 30 - e.name.length, 28);
  e.name.copy(h, 30);
  timestampExtra(e, h, 30 + e.name.length);
  if (zip64) {
    const at = 30 + e.name.length + TIMESTAMP_EXTRA;
    h.writeUInt16LE(0x0001, at);
    h.writeUInt16LE(16, at + 2);
    h.writeBigUInt64LE(BigInt(e.size), at + 4);
    h.writeBigUInt64LE(BigInt(e.compressedSize), at + 12);
  }
  return h;
}

/** What follows streamed content: its crc and sizes (64-bit when either needs it). */
export function dataDescriptor(crc: number, size: number, compressedSize: number): Buffer {
  const wide = size >= U32 || compressedSize >= U32;
  const d = Buffer.alloc(wide ? 24 : 16);
  d.writeUInt32LE(0x08074b50, 0);
  d.writeUInt32LE(crc >>> 0, 4);
  if (wide) {
    d.writeBigUInt64LE(BigInt(compressedSize), 8);
    d.writeBigUInt64LE(BigInt(size), 16);
  } else {
    d.writeUInt32LE(compressedSize, 8);
    d.writeUInt32LE(size, 12);
  }
  return d;
}

const clamp32 = (n: number) => Math.min(n, U32);

/** One central directory record for an entry whose local header starts at `offset`. */
export function centralRecord(e: EntryInfo, offset: number): Buffer {
  const wide: number[] = [];
  if (e.compressedSize > U32 || e.size > U32 || offset > U32) {
    if (e.size >= U32) wide.push(e.size);
    if (e.compressedSize >= U32) wide.push(e.compressedSize);
    if (offset >= U32) wide.push(offset);
  }
  const zip64Length = wide.length > 0 ? 4 + 8 * wide.length : 0;
  const r = Buffer.alloc(46 + e.name.length + TIMESTAMP_EXTRA + zip64Length);
  r.writeUInt32LE(0x02014b50, 0);
  r.writeUInt16LE(creatorVersion(e), 4);
  writeShared(r, 6, e);
  r.writeUInt32LE(clamp32(e.compressedSize), 20);
  r.writeUInt32LE(clamp32(e.size), 24);
  r.writeUInt16LE(e.name.length, 28);
  r.writeUInt16LE(TIMESTAMP_EXTRA + zip64Length, 30);
  // comment length, disk number: 0
  r.writeUInt16LE(e.text && e.kind !== 'directory' ? 1 : 0, 36);
  r.writeUInt32LE(externalAttributes(e), 38);
  r.writeUInt32LE(clamp32(offset), 42);
  e.name.copy(r, 46);
  timestampExtra(e, r, 46 + e.name.length);
  if (zip64Length > 0) {
    let at = 46 + e.name.length + TIMESTAMP_EXTRA;
    r.writeUInt16LE(0x0001, at);
    r.writeUInt16LE(8 * wide.length, at + 2);
    at += 4;
    for (const n of wide) {
      r.writeBigUInt64LE(BigInt(n), at);
      at += 8;
    }
  }
  return r;
}

/**
 * The end of the archive: zip64 records first when a count or the directory
 * offset does not fit, then the end-of-central-directory record and comment.
 */
export function trailer(count: number, maxCreatorVersion: number, directorySize: number, directoryOffset: number, comment: string): Buffer {
  const clamped = count > 0xffff || directoryOffset > U32;
  const parts: Buffer[] = [];
  if (clamped) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4);
    record.writeUInt16LE(maxCreatorVersion, 12);
    record.writeUInt16LE(45, 14);
    record.writeBigUInt64LE(BigInt(count), 24);
    record.writeBigUInt64LE(BigInt(count), 32);
    record.writeBigUInt64LE(BigInt(directorySize), 40);
    record.writeBigUInt64LE(BigInt(directoryOffset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(directoryOffset + directorySize), 8);
    locator.writeUInt32LE(1, 16);
    parts.push(record, locator);
  }
  const text = Buffer.from(comment, 'latin1');
  const end = Buffer.alloc(22 + text.length);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(count, 0xffff), 8);
  end.writeUInt16LE(Math.min(count, 0xffff), 10);
  end.writeUInt32LE(directorySize >>> 0, 12);
  end.writeUInt32LE(clamp32(directoryOffset), 16);
  end.writeUInt16LE(text.length, 20);
  text.copy(end, 22);
  parts.push(end);
  return Buffer.concat(parts);
}
