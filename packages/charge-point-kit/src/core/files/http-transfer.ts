import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Agent, request } from 'undici';
import { syncFile, writeChunks } from './local-file.js';
import {
  type DownloadResult,
  type TransferOptions,
  type TransferTarget,
  transferFailed,
} from './transfer.js';

function dispatcher(options: TransferOptions): Agent {
  return new Agent({
    connect: options.ca === undefined ? {} : { ca: options.ca },
    headersTimeout: options.idleTimeoutMs,
    bodyTimeout: options.idleTimeoutMs,
    connectTimeout: options.idleTimeoutMs,
  });
}

/** Basic credentials from the URL (`http://user:pass@host/`), which fetch-style clients refuse. */
function headersOf(url: URL): { url: URL; headers: Record<string, string> } {
  if (url.username === '' && url.password === '') return { url, headers: {} };
  const bare = new URL(url);
  bare.username = '';
  bare.password = '';
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return {
    url: bare,
    headers: { authorization: `Basic ${Buffer.from(credentials).toString('base64')}` },
  };
}

export async function httpDownload(
  target: TransferTarget,
  file: string,
  options: TransferOptions,
): Promise<DownloadResult> {
  const agent = dispatcher(options);
  try {
    const have = await stat(file).then(
      (s) => s.size,
      () => 0,
    );
    const { url, headers } = headersOf(target.url);
    const response = await request(url, {
      dispatcher: agent,
      headers: have > 0 ? { ...headers, range: `bytes=${have}-` } : headers,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    const resumed = response.statusCode === 206 && have > 0;
    if (response.statusCode !== 200 && !resumed) {
      await response.body.dump();
      throw new Error(`HTTP ${response.statusCode}`);
    }
    const from = resumed ? have : 0;
    const announced = Number(response.headers['content-length']);
    if (Number.isFinite(announced) && from + announced > options.maxBytes) {
      response.body.destroy();
      throw new Error(
        `the file is ${from + announced} bytes, over the limit of ${options.maxBytes}`,
      );
    }
    await writeChunks(response.body, file, from, options.maxBytes);
    const bytes = await syncFile(file);
    return { bytes, resumedFrom: from };
  } catch (error) {
    throw transferFailed(target, 'Download of', error);
  } finally {
    await agent.close();
  }
}

export async function httpUpload(
  target: TransferTarget,
  file: string,
  fileName: string,
  options: TransferOptions,
): Promise<void> {
  const agent = dispatcher(options);
  try {
    const base = target.url.href.endsWith('/') ? target.url.href : `${target.url.href}/`;
    const { url, headers } = headersOf(new URL(encodeURIComponent(fileName), base));
    const size = (await stat(file)).size;
    const response = await request(url, {
      method: 'PUT',
      dispatcher: agent,
      headers: {
        ...headers,
        'content-type': 'application/octet-stream',
        'content-length': String(size),
      },
      body: createReadStream(file),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    await response.body.dump();
    if (response.statusCode < 200 || response.statusCode >= 300)
      throw new Error(`HTTP ${response.statusCode}`);
  } catch (error) {
    throw transferFailed(target, 'Upload to', error);
  } finally {
    await agent.close();
  }
}
