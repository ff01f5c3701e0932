import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { syncFile } from './local-file.js';

/** One member of an archive: bytes, or a file on disk streamed in. */
export type ArchiveEntry =
  | { readonly name: string; readonly bytes: Buffer }
  | { readonly name: string; readonly file: string };

const block = 512;

/** A ustar header (POSIX.1-1988) for a regular file. */
function header(name: string, size: number, mtimeSeconds: number): Buffer {
  const h = Buffer.alloc(block);
  const put = (text: string, offset: number, length: number) =>
    h.write(text, offset, Math.min(length, Buffer.byteLength(text)), 'utf8');
  const octal = (value: number, offset: number, length: number) =>
    put(`${value.toString(8).padStart(length - 1, '0')}\0`, offset, length);
  put(name, 0, 100);
  octal(0o644, 100, 8);
  octal(0, 108, 8);
  octal(0, 116, 8);
  octal(size, 124, 12);
  octal(mtimeSeconds, 136, 12);
  h.fill(' ', 148, 156);
  put('0', 156, 1);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  let sum = 0;
  for (const byte of h) sum += byte;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return h;
}

/** A name a tar header holds: the base name, safe characters, at most 100 bytes, unique. */
function memberName(name: string, taken: Set<string>): string {
  const safe =
    basename(name)
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .slice(0, 90) || 'file';
  let unique = safe;
  for (let n = 2; taken.has(unique); n++) unique = `${n}-${safe}`;
  taken.add(unique);
  return unique;
}

/**
 * Writes `entries` as a gzip-compressed tar to `file`, streaming files from disk (never whole in
 * memory), fsynced before it resolves. A file that vanished or grew meanwhile is cut to the size
 * its header announced.
 */
export async function writeTarGz(file: string, entries: readonly ArchiveEntry[]): Promise<void> {
  const taken = new Set<string>();
  const mtime = Math.floor(Date.now() / 1000);
  async function* members(): AsyncGenerator<Buffer> {
    for (const entry of entries) {
      const name = memberName(entry.name, taken);
      if ('bytes' in entry) {
        yield header(name, entry.bytes.length, mtime);
        yield entry.bytes;
        yield Buffer.alloc((block - (entry.bytes.length % block)) % block);
        continue;
      }
      const size = await stat(entry.file).then(
        (s) => (s.isFile() ? s.size : undefined),
        () => undefined,
      );
      if (size === undefined) continue;
      yield header(name, size, mtime);
      let sent = 0;
      if (size > 0) {
        for await (const chunk of createReadStream(entry.file, { end: size - 1 })) {
          const piece = (chunk as Buffer).subarray(0, size - sent);
          sent += piece.length;
          yield piece;
        }
      }
      // Shrunk meanwhile: zeros keep the member the size its header says.
      if (sent < size) yield Buffer.alloc(size - sent);
      yield Buffer.alloc((block - (size % block)) % block);
    }
    yield Buffer.alloc(block * 2);
  }
  await pipeline(Readable.from(members()), createGzip(), createWriteStream(file));
  await syncFile(file);
}
