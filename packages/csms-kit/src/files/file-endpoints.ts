// §5.9 GetDiagnostics and §5.19 UpdateFirmware point a charge point at a URL: these endpoints
// serve firmware files from a directory and receive diagnostics/log uploads into another, over
// HTTP, streamed to and from disk (never a whole file in memory), with a size cap per upload.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsmsKitError } from '../errors.js';
import { MultipartFile } from './multipart-file.js';

export interface FileEndpointsOptions {
  /** Files served at `GET /firmware/<name>`. */
  readonly firmwareDir: string;
  /** Uploads (`PUT` or `POST /uploads/<name>`, raw or multipart/form-data) land here. */
  readonly uploadDir: string;
  /** Largest upload in bytes; more is refused with 413. Default 64 MiB. */
  readonly maxUploadBytes?: number;
  /** Called once an upload is complete on disk. */
  readonly onUpload?: (upload: {
    readonly name: string;
    readonly bytes: number;
    readonly path: string;
  }) => void;
}

/** A file name: no directories, no dot files, printable ASCII (what a charge point puts in a URL). */
const fileName = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

class TooLarge extends Error {}

/** Counts bytes through the stream and fails it past `limit`. */
class ByteLimit extends Transform {
  bytes = 0;
  constructor(readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) done(new TooLarge(`over ${this.limit} bytes`));
    else done(null, chunk);
  }
}

export class FileEndpoints {
  readonly #options: Required<Omit<FileEndpointsOptions, 'onUpload'>> &
    Pick<FileEndpointsOptions, 'onUpload'>;
  #server: Server | undefined;

  constructor(options: FileEndpointsOptions) {
    const maxUploadBytes = options.maxUploadBytes ?? 64 * 2 ** 20;
    if (!Number.isInteger(maxUploadBytes) || maxUploadBytes < 1) {
      throw new CsmsKitError(
        'INVALID_OPTIONS',
        `maxUploadBytes must be an integer >= 1, got ${maxUploadBytes}`,
      );
    }
    this.#options = { ...options, maxUploadBytes };
  }

  /** Handles a request if its path is ours (`/firmware/...`, `/uploads/...`); false otherwise. */
  handle(request: IncomingMessage, response: ServerResponse): boolean {
    const match = /^\/(firmware|uploads)\/([^/?#]*)(?:\?.*)?$/.exec(request.url ?? '');
    if (match === null) return false;
    const [, area, raw = ''] = match;
    let name: string;
    try {
      name = decodeURIComponent(raw);
    } catch {
      name = '';
    }
    if (!fileName.test(name)) {
      reply(
        response,
        400,
        'A file name is letters, digits, dot, dash and underscore, not starting with a dot',
      );
      return true;
    }
    const done =
      area === 'firmware'
        ? this.#serve(request, response, name)
        : this.#receive(request, response, name);
    done.catch(() => {
      if (!response.headersSent) reply(response, 500, 'The file could not be handled');
      else response.destroy();
    });
    return true;
  }

  /** Listens on its own HTTP server (127.0.0.1 and any free port unless given). */
  async listen(options: { host?: string; port?: number } = {}): Promise<AddressInfo> {
    await mkdir(this.#options.uploadDir, { recursive: true });
    await mkdir(this.#options.firmwareDir, { recursive: true });
    const server = createServer((request, response) => {
      if (!this.handle(request, response))
        reply(response, 404, 'Use /firmware/<name> or /uploads/<name>');
    });
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
    return server.address() as AddressInfo;
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (server === undefined) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  async #serve(request: IncomingMessage, response: ServerResponse, name: string): Promise<void> {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      reply(response, 405, 'Firmware is downloaded with GET', { Allow: 'GET, HEAD' });
      return;
    }
    const path = join(this.#options.firmwareDir, name);
    const info = await stat(path).catch(() => undefined);
    if (info === undefined || !info.isFile()) {
      reply(response, 404, `No firmware file '${name}'`);
      return;
    }
    response.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': info.size,
    });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    await pipeline(createReadStream(path), response);
  }

  async #receive(request: IncomingMessage, response: ServerResponse, name: string): Promise<void> {
    if (request.method !== 'PUT' && request.method !== 'POST') {
      reply(response, 405, 'Upload with PUT or POST', { Allow: 'PUT, POST' });
      return;
    }
    const { maxUploadBytes, uploadDir } = this.#options;
    const declared = Number(request.headers['content-length'] ?? Number.NaN);
    if (declared > maxUploadBytes * 2) {
      reply(response, 413, `Uploads are limited to ${maxUploadBytes} bytes`, {
        Connection: 'close',
      });
      request.resume();
      return;
    }
    await mkdir(uploadDir, { recursive: true });
    const path = join(uploadDir, name);
    const temp = `${path}.${randomBytes(6).toString('hex')}.part`;
    const type = request.headers['content-type'] ?? '';
    const boundary = /^multipart\/form-data;.*boundary="?([^";]+)"?/i.exec(type)?.[1];
    const limit = new ByteLimit(maxUploadBytes);
    const stages: NodeJS.ReadWriteStream[] =
      boundary === undefined ? [limit] : [new MultipartFile(boundary), limit];
    try {
      await pipeline(request, ...(stages as [Transform]), createWriteStream(temp, { flags: 'wx' }));
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      if (error instanceof TooLarge) {
        reply(response, 413, `Uploads are limited to ${maxUploadBytes} bytes`, {
          Connection: 'close',
        });
        return;
      }
      if (error instanceof Error && error.name === 'MultipartError') {
        reply(response, 400, error.message);
        return;
      }
      throw error;
    }
    reply(response, 201, `Stored ${limit.bytes} bytes as ${name}`);
    this.#options.onUpload?.({ name, bytes: limit.bytes, path });
  }
}

function reply(
  response: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  const body = `${JSON.stringify({ status, message })}\n`;
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  });
  response.end(body);
}
