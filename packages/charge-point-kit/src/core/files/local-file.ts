import { open } from 'node:fs/promises';
import { Transform } from 'node:stream';

/** Passes bytes through until `limit` (counting `from` already on disk), then fails the stream. */
export function sizeCap(from: number, limit: number): Transform {
  let total = from;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      total += chunk.length;
      if (total > limit) callback(new Error(`the file is over the limit of ${limit} bytes`));
      else callback(null, chunk);
    },
  });
}

/** fsyncs a written file (a download must survive power loss before it is called complete); its size. */
export async function syncFile(file: string): Promise<number> {
  const handle = await open(file, 'r+');
  try {
    await handle.sync();
    return (await handle.stat()).size;
  } finally {
    await handle.close();
  }
}

/**
 * Writes `source` into `file` chunk by chunk (appending after `from` bytes, else from the start),
 * so every byte received before a failure stays on disk for the next attempt to resume after.
 */
export async function writeChunks(
  source: AsyncIterable<Buffer>,
  file: string,
  from: number,
  limit: number,
): Promise<void> {
  const handle = await open(file, from > 0 ? 'a' : 'w');
  let total = from;
  try {
    for await (const chunk of source) {
      total += chunk.length;
      if (total > limit) throw new Error(`the file is over the limit of ${limit} bytes`);
      await handle.write(chunk);
    }
  } finally {
    await handle.close();
  }
}
