// A minimal zip writer (stored entries, Unix modes) for crafting revisions a
// real push never makes: `../` names, absolute paths, escaping symlinks.

import { writeFileSync } from 'node:fs';
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntrySpec {
  name: string;
  /** File content, or the link target for a symlink. */
  data?: string;
  /** Unix permission bits; default 0o644 (files), 0o755 (dirs). */
  mode?: number;
  kind?: 'file' | 'dir' | 'symlink';
  /** Deflate the data (default: stored). */
  deflate?: boolean;
  /** The uncompressed size the headers claim, when it should lie. */
  declaredSize?: number;
  /** Raw deflate data to store as is (with `declaredSize`): a huge entry made cheaply. */
  compressed?: Buffer;
}

const TYPE_BITS = { file: 0o100000, dir: 0o040000, symlink: 0o120000 } as const;

export function zipBuffer(entries: ZipEntrySpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const kind = e.kind ?? (e.name.endsWith('/') ? 'dir' : 'file');
    const name = Buffer.from(e.name, 'utf8');
    const content = Buffer.from(e.data ?? '', 'utf8');
    const crc = crc32(content);
    const data = e.compressed ?? (e.deflate ? deflateRawSync(content) : content);
    const method = e.deflate || e.compressed ? 8 : 0;
    const size = e.declaredSize ?? content.length;
    const mode = TYPE_BITS[kind] | (e.mode ?? (kind === 'dir' ? 0o755 : kind === 'symlink' ? 0o777 : 0o644));
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(10, 4); // version needed
    local.writeUInt16LE(0x800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(0, 10); // time/date
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix
    central.writeUInt16LE(10, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(0, 30); // extra, comment lengths
    central.writeUInt32LE(0, 34); // disk, internal attrs
    central.writeUInt32LE((mode << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

export function writeZip(path: string, entries: ZipEntrySpec[]): string {
  writeFileSync(path, zipBuffer(entries));
  return path;
}
