// Real file servers on 127.0.0.1 for the transfer tests: HTTP(S) on node:http and FTP(S) on
// ftp-srv, each able to serve normally, drop the connection mid-transfer or trickle slowly.
import { mkdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { FileSystem, FtpSrv } from 'ftp-srv';
import { onTestFinished } from 'vitest';
import { tempDirectory } from './temp-store.js';

/** How a server misbehaves: `drop` cuts the first `times` transfers after `afterBytes`. */
export interface Misbehaviour {
  readonly drop?: { readonly afterBytes: number; readonly times: number };
  /** Sends `chunkBytes` every `everyMs`. */
  readonly slow?: { readonly chunkBytes: number; readonly everyMs: number };
  /** Sends nothing after the headers/the data connection: a stalled server. */
  readonly stall?: boolean;
}

interface Shaper {
  readonly transfers: number;
  stream(bytes: Buffer, start: number): Readable;
}

function shaper(misbehaviour: Misbehaviour): Shaper {
  let transfers = 0;
  return {
    get transfers() {
      return transfers;
    },
    stream(bytes, start) {
      transfers += 1;
      const dropAt =
        misbehaviour.drop !== undefined && transfers <= misbehaviour.drop.times
          ? misbehaviour.drop.afterBytes
          : undefined;
      const chunk = misbehaviour.slow?.chunkBytes ?? 64 * 1024;
      const every = misbehaviour.slow?.everyMs ?? 0;
      let at = start;
      let sent = 0;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const readable = new Readable({
        read() {
          if (misbehaviour.stall === true) return;
          const push = () => {
            timer = undefined;
            if (dropAt !== undefined && sent >= dropAt) {
              // Cut once what was sent is on its way, as a connection lost mid-file.
              timer = setTimeout(
                () => readable.destroy(new Error('dropped by the test server')),
                50,
              );
              return;
            }
            if (at >= bytes.length) {
              readable.push(null);
              return;
            }
            const size = Math.min(
              chunk,
              bytes.length - at,
              dropAt === undefined ? chunk : dropAt - sent,
            );
            readable.push(bytes.subarray(at, at + size));
            at += size;
            sent += size;
          };
          if (every > 0) timer = setTimeout(push, every);
          else push();
        },
        destroy(error, callback) {
          if (timer !== undefined) clearTimeout(timer);
          callback(error);
        },
      });
      return readable;
    },
  };
}

export interface TestHttpServer {
  readonly url: string;
  /** Method, path and Range of every request. */
  readonly requests: { method: string; path: string; range: string | undefined }[];
  /** Uploaded files by path. */
  readonly uploads: Map<string, Buffer>;
  readonly transfers: () => number;
}

/** An HTTP(S) server serving `files` (GET with Range) and taking PUT uploads. */
export async function httpFileServer(
  files: Readonly<Record<string, Buffer>>,
  options: Misbehaviour & { readonly tls?: { readonly key: string; readonly cert: string } } = {},
): Promise<TestHttpServer> {
  const requests: TestHttpServer['requests'] = [];
  const uploads = new Map<string, Buffer>();
  const shape = shaper(options);
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push({ method: req.method ?? '', path, range: req.headers.range });
    if (req.method === 'PUT') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        uploads.set(path, Buffer.concat(chunks));
        res.writeHead(201).end();
      });
      return;
    }
    const bytes = files[path];
    if (bytes === undefined) {
      res.writeHead(404).end();
      return;
    }
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = range === null ? 0 : Number(range[1]);
    res.writeHead(range === null ? 200 : 206, {
      'content-length': String(bytes.length - start),
      ...(range === null
        ? {}
        : { 'content-range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` }),
    });
    const body = shape.stream(bytes, start);
    body.on('error', () => res.destroy());
    body.pipe(res);
  };
  const server =
    options.tls === undefined ? createHttpServer(handler) : createHttpsServer(options.tls, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    requests,
    uploads,
    transfers: () => shape.transfers,
  };
}

export interface TestFtpServer {
  /** `ftp://user:secret@127.0.0.1:port` (use `ftps://` with `tls` for explicit FTPS). */
  readonly url: string;
  readonly root: string;
  readonly transfers: () => number;
}

/** An FTP server (ftp-srv) on a temporary root holding `files`; explicit FTPS with `tls`. */
export async function ftpFileServer(
  files: Readonly<Record<string, Buffer>>,
  options: Misbehaviour & { readonly tls?: { readonly key: string; readonly cert: string } } = {},
): Promise<TestFtpServer> {
  const root = tempDirectory('ftp');
  for (const [name, bytes] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    await writeFile(join(root, name), bytes);
  }
  const shape = shaper(options);
  class ShapedFileSystem extends FileSystem {
    override async read(fileName: string, { start }: { start?: number } = {}) {
      const base = (await super.read(fileName, { start })) as {
        stream: Readable;
        clientPath: string;
      };
      base.stream.destroy();
      const path = join(root, base.clientPath);
      return { stream: shape.stream(readFileSync(path), start ?? 0), clientPath: base.clientPath };
    }
  }
  const server = new FtpSrv({
    url: 'ftp://127.0.0.1:0',
    pasv_url: '127.0.0.1',
    pasv_min: 41_000,
    anonymous: false,
    greeting: 'ocpp-kit test FTP server',
    log: silentBunyan(),
    ...(options.tls === undefined ? {} : { tls: options.tls }),
  });
  server.on('login', ({ connection, username, password }, resolve, reject) => {
    if (username !== 'user' || password !== 'secret') {
      reject(new Error('wrong user or password'));
      return;
    }
    resolve({ fs: new ShapedFileSystem(connection, { root, cwd: '/' }) });
  });
  await server.listen();
  onTestFinished(() => server.close());
  const port = (server as unknown as { server: { address(): AddressInfo } }).server.address().port;
  return {
    url: `${options.tls === undefined ? 'ftp' : 'ftps'}://user:secret@127.0.0.1:${port}`,
    root,
    transfers: () => shape.transfers,
  };
}

/** ftp-srv logs through bunyan; the tests stay quiet. */
function silentBunyan() {
  const quiet = {
    trace: () => {},
    debug: () => {},
    info: () => {},
    warn: () => {},
    error: () => {},
    fatal: () => {},
    child: () => quiet,
  };
  return quiet;
}
