import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Client } from 'basic-ftp';
import { sizeCap, syncFile } from './local-file.js';
import {
  type DownloadResult,
  type TransferOptions,
  type TransferTarget,
  transferFailed,
} from './transfer.js';

/**
 * A logged-in basic-ftp client for the URL (chapter 8: `ftp://user:password@host:port/path`).
 * FTPS is explicit (AUTH TLS) except on port 990, where it is implicit.
 */
async function connect(target: TransferTarget, options: TransferOptions): Promise<Client> {
  const client = new Client(options.idleTimeoutMs);
  const { url } = target;
  const secure = target.protocol === 'FTPS';
  const port = url.port === '' ? (secure ? 990 : 21) : Number(url.port);
  const abort = () => client.close();
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    await client.access({
      host: url.hostname,
      port,
      user: url.username === '' ? 'anonymous' : decodeURIComponent(url.username),
      password: url.password === '' ? 'guest' : decodeURIComponent(url.password),
      secure: secure ? (port === 990 ? 'implicit' : true) : false,
      ...(secure ? { secureOptions: options.ca === undefined ? {} : { ca: options.ca } } : {}),
    });
    return client;
  } catch (error) {
    client.close();
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', abort);
  }
}

const remotePath = (url: URL) => decodeURIComponent(url.pathname);

export async function ftpDownload(
  target: TransferTarget,
  file: string,
  options: TransferOptions,
): Promise<DownloadResult> {
  let client: Client | undefined;
  try {
    client = await connect(target, options);
    const path = remotePath(target.url);
    const size = await client.size(path).catch(() => undefined);
    if (size !== undefined && size > options.maxBytes)
      throw new Error(`the file is ${size} bytes, over the limit of ${options.maxBytes}`);
    const have = await stat(file).then(
      (s) => s.size,
      () => 0,
    );
    // REST resumes an interrupted download (chapter 8); a file already complete starts over.
    const from = have > 0 && size !== undefined && have < size ? have : 0;
    const cap = sizeCap(from, options.maxBytes);
    const sink = createWriteStream(file, { flags: from > 0 ? 'a' : 'w' });
    const written = pipeline(cap, sink);
    const abort = () => client?.close();
    options.signal?.addEventListener('abort', abort, { once: true });
    try {
      await Promise.all([
        client.downloadTo(cap, path, from).catch((error: unknown) => {
          cap.destroy(error as Error);
          throw error;
        }),
        written,
      ]);
    } finally {
      options.signal?.removeEventListener('abort', abort);
    }
    const bytes = await syncFile(file);
    if (size !== undefined && bytes !== size) throw new Error(`received ${bytes} of ${size} bytes`);
    return { bytes, resumedFrom: from };
  } catch (error) {
    throw transferFailed(target, 'Download of', error);
  } finally {
    client?.close();
  }
}

export async function ftpUpload(
  target: TransferTarget,
  file: string,
  fileName: string,
  options: TransferOptions,
): Promise<void> {
  let client: Client | undefined;
  try {
    client = await connect(target, options);
    const abort = () => client?.close();
    options.signal?.addEventListener('abort', abort, { once: true });
    try {
      await client.uploadFrom(file, posix.join(remotePath(target.url), fileName));
    } finally {
      options.signal?.removeEventListener('abort', abort);
    }
  } catch (error) {
    throw transferFailed(target, 'Upload to', error);
  } finally {
    client?.close();
  }
}
