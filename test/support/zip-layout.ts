// Read a zip's records field by field (central directory, local headers,
// end records), to compare the zips ionflow writes with git's own.
import { crc32, inflateRawSync } from 'node:zlib';

export interface ZipRecord {
  name: string;
  creatorVersion: number;
  versionNeeded: number;
  flags: number;
  method: number;
  time: number;
  date: number;
  crc: number;
  compressedSize: number;
  size: number;
  internalAttributes: number;
  externalAttributes: number;
  offset: number;
  /** The central record's extra field, as hex. */
  extra: string;
  /** The local header from its version field to its extra, without crc and sizes (which a data descriptor may carry). */
  local: { versionNeeded: number; flags: number; method: number; time: number; date: number; extra: string };
  /** The uncompressed content. */
  content: Buffer;
}

export interface ZipLayout {
  comment: string;
  entries: ZipRecord[];
}

export function readZipLayout(buf: Buffer): ZipLayout {
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('no end of central directory record');
  let count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  if (count === 0xffff || at === 0xffffffff) {
    // zip64: the locator just before the end record points at the zip64 record.
    const record = Number(buf.readBigUInt64LE(end - 20 + 8));
    if (buf.readUInt32LE(record) !== 0x06064b50) throw new Error('no zip64 end record');
    count = Number(buf.readBigUInt64LE(record + 32));
    at = Number(buf.readBigUInt64LE(record + 48));
  }
  const comment = buf.subarray(end + 22, end + 22 + buf.readUInt16LE(end + 20)).toString('latin1');
  const entries: ZipRecord[] = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central record at ${at}`);
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    const offset = buf.readUInt32LE(at + 42);
    const compressedSize = buf.readUInt32LE(at + 20);
    const localName = buf.readUInt16LE(offset + 26);
    const localExtra = buf.readUInt16LE(offset + 28);
    const dataAt = offset + 30 + localName + localExtra;
    const method = buf.readUInt16LE(at + 10);
    const data = buf.subarray(dataAt, dataAt + compressedSize);
    const content = method === 8 ? inflateRawSync(data) : Buffer.from(data);
    const crc = buf.readUInt32LE(at + 16);
    if (crc32(content) !== crc) throw new Error(`crc mismatch for entry ${i}`);
    if (buf.readUInt16LE(at + 8) & 8) {
      // The data descriptor after streamed content must repeat the central record.
      const d = dataAt + compressedSize;
      if (buf.readUInt32LE(d) !== 0x08074b50 || buf.readUInt32LE(d + 4) !== crc || buf.readUInt32LE(d + 8) !== compressedSize) {
        throw new Error(`bad data descriptor for entry ${i}`);
      }
    }
    entries.push({
      name: buf.subarray(at + 46, at + 46 + nameLength).toString('utf8'),
      creatorVersion: buf.readUInt16LE(at + 4),
      versionNeeded: buf.readUInt16LE(at + 6),
      flags: buf.readUInt16LE(at + 8),
      method,
      time: buf.readUInt16LE(at + 12),
      date: buf.readUInt16LE(at + 14),
      crc,
      compressedSize,
      size: buf.readUInt32LE(at + 24),
      internalAttributes: buf.readUInt16LE(at + 36),
      externalAttributes: buf.readUInt32LE(at + 38),
      offset,
      extra: buf.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength).toString('hex'),
      local: {
        versionNeeded: buf.readUInt16LE(offset + 4),
        flags: buf.readUInt16LE(offset + 6),
        method: buf.readUInt16LE(offset + 8),
        time: buf.readUInt16LE(offset + 10),
        date: buf.readUInt16LE(offset + 12),
        extra: buf.subarray(offset + 30 + localName, dataAt).toString('hex'),
      },
      content,
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return { comment, entries };
}

/** Everything but where an entry sits and how its bytes were compressed. */
export function withoutCompression(layout: ZipLayout) {
  return {
    comment: layout.comment,
    entries: layout.entries.map(({ offset: _o, compressedSize: _c, ...rest }) => rest),
  };
}
