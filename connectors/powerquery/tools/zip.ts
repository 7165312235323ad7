/**
 * A minimal ZIP writer (PKWARE APPNOTE 6.3: local headers, central directory, end record) for
 * packaging the connector without Windows tooling. Entries are deflated with node:zlib, or stored
 * when deflating would not make them smaller (PNGs). Times are fixed, so the same inputs always
 * give the same bytes.
 */
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntry {
  /** Path inside the archive, with forward slashes. */
  name: string;
  data: Buffer;
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const VERSION_NEEDED = 20; // 2.0: deflate
const METHOD_STORE = 0;
const METHOD_DEFLATE = 8;
const FLAG_UTF8_NAMES = 0x0800;

/** 2024-01-01 00:00:00 in MS-DOS date/time form. */
const DOS_TIME = 0;
const DOS_DATE = ((2024 - 1980) << 9) | (1 << 5) | 1;

interface Prepared {
  name: Buffer;
  method: number;
  crc: number;
  compressed: Buffer;
  size: number;
  offset: number;
}

function checkName(name: string): void {
  if (name === '' || name.startsWith('/') || name.includes('\\') || name.split('/').includes('..')) {
    throw new Error(`zip entry name '${name}' must be a relative path with forward slashes and no '..'`);
  }
}

/**
 * The fields local and central headers share, in the same order (APPNOTE 4.3.7 and 4.3.12):
 * version needed, flags, method, time, date, CRC, sizes, name length. Written from `at`.
 */
function writeEntryFields(header: Buffer, at: number, p: Prepared): void {
  header.writeUInt16LE(VERSION_NEEDED, at);
  header.writeUInt16LE(FLAG_UTF8_NAMES, at + 2);
  header.writeUInt16LE(p.method, at + 4);
  header.writeUInt16LE(DOS_TIME, at + 6);
  header.writeUInt16LE(DOS_DATE, at + 8);
  header.writeUInt32LE(p.crc, at + 10);
  header.writeUInt32LE(p.compressed.length, at + 14);
  header.writeUInt32LE(p.size, at + 18);
  header.writeUInt16LE(p.name.length, at + 22);
}

function localHeader(p: Prepared): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(LOCAL_HEADER, 0);
  writeEntryFields(header, 4, p);
  header.writeUInt16LE(0, 28); // extra field length
  return header;
}

function centralHeader(p: Prepared): Buffer {
  const header = Buffer.alloc(46);
  header.writeUInt32LE(CENTRAL_HEADER, 0);
  header.writeUInt16LE(VERSION_NEEDED, 4); // made by: 2.0, MS-DOS attributes
  writeEntryFields(header, 6, p);
  // extra length, comment length, disk number, internal attributes: all 0
  header.writeUInt32LE(0, 38); // external attributes
  header.writeUInt32LE(p.offset, 42);
  return header;
}

function endRecord(count: number, directorySize: number, directoryOffset: number): Buffer {
  const record = Buffer.alloc(22);
  record.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
  record.writeUInt16LE(count, 8);
  record.writeUInt16LE(count, 10);
  record.writeUInt32LE(directorySize, 12);
  record.writeUInt32LE(directoryOffset, 16);
  return record;
}

/** The bytes of a ZIP archive holding `entries`, in the order given. */
export function createZip(entries: readonly ZipEntry[]): Buffer {
  const names = new Set<string>();
  const parts: Buffer[] = [];
  const prepared: Prepared[] = [];
  let offset = 0;
  for (const entry of entries) {
    checkName(entry.name);
    if (names.has(entry.name)) throw new Error(`zip entry '${entry.name}' is given twice`);
    names.add(entry.name);
    const deflated = deflateRawSync(entry.data, { level: 9 });
    const store = deflated.length >= entry.data.length;
    const p: Prepared = {
      name: Buffer.from(entry.name, 'utf8'),
      method: store ? METHOD_STORE : METHOD_DEFLATE,
      crc: crc32(entry.data),
      compressed: store ? entry.data : deflated,
      size: entry.data.length,
      offset,
    };
    const header = localHeader(p);
    parts.push(header, p.name, p.compressed);
    offset += header.length + p.name.length + p.compressed.length;
    prepared.push(p);
  }
  if (offset > 0xffffffff || prepared.length > 0xffff) throw new Error('archive too large for ZIP without ZIP64');
  const directoryOffset = offset;
  let directorySize = 0;
  for (const p of prepared) {
    const header = centralHeader(p);
    parts.push(header, p.name);
    directorySize += header.length + p.name.length;
  }
  parts.push(endRecord(prepared.length, directorySize, directoryOffset));
  return Buffer.concat(parts);
}
