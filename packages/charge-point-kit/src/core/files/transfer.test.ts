import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestPki } from '@ocpp-kit/security/testing';
import { describe, expect, test } from 'vitest';
import { ftpFileServer, httpFileServer } from '../../test-helpers/file-servers.js';
import { tempDirectory } from '../../test-helpers/temp-store.js';
import { download, type TransferOptions, transferTarget, upload } from './transfer.js';

const firmware = randomBytes(300_000);
const all = ['FTP', 'FTPS', 'HTTP', 'HTTPS'];
const options: TransferOptions = { maxBytes: 10_000_000, idleTimeoutMs: 2_000 };

const target = (location: string) => {
  const checked = transferTarget(location, all);
  if ('refusal' in checked) throw new Error(checked.refusal);
  return checked;
};

describe('file transfer (chapter 8)', () => {
  test('errata 3.90: a location of a protocol not in SupportedFileTransferProtocols is refused, naming it', () => {
    expect(transferTarget('ftp://h/f.bin', ['HTTP'])).toEqual({
      refusal: 'FTP is not in SupportedFileTransferProtocols (HTTP)',
    });
    expect(transferTarget('gopher://h/f', all)).toMatchObject({
      refusal: expect.stringContaining('gopher:'),
    });
    expect(transferTarget('not a url', all)).toMatchObject({
      refusal: expect.stringContaining('not a URL'),
    });
  });

  test.each(['http', 'ftp'] as const)(
    '%s: a download streams to disk byte for byte; an upload lands intact',
    async (kind) => {
      const dir = tempDirectory('transfer');
      const server =
        kind === 'http'
          ? await httpFileServer({ '/fw/v2.bin': firmware })
          : await ftpFileServer({ 'fw/v2.bin': firmware, 'uploads/.keep': Buffer.alloc(0) });
      const file = join(dir, 'v2.bin');
      await expect(download(target(`${server.url}/fw/v2.bin`), file, options)).resolves.toEqual({
        bytes: firmware.length,
        resumedFrom: 0,
      });
      expect(readFileSync(file).equals(firmware)).toBe(true);
      const report = join(dir, 'diag.tar.gz');
      writeFileSync(report, firmware.subarray(0, 12_345));
      await upload(target(`${server.url}/uploads/`), report, 'diag.tar.gz', options);
      const uploaded =
        'uploads' in server
          ? server.uploads.get('/uploads/diag.tar.gz')
          : readFileSync(join(server.root, 'uploads', 'diag.tar.gz'));
      expect(uploaded?.equals(firmware.subarray(0, 12_345))).toBe(true);
    },
  );

  test.each(['http', 'ftp'] as const)(
    'chapter 8 %s: a server dropping the connection mid-transfer fails the attempt; the next resumes after the bytes it has (Range / REST)',
    async (kind) => {
      const dir = tempDirectory('transfer');
      const misbehaviour = { drop: { afterBytes: 100_000, times: 1 } };
      const server =
        kind === 'http'
          ? await httpFileServer({ '/fw.bin': firmware }, misbehaviour)
          : await ftpFileServer({ 'fw.bin': firmware }, misbehaviour);
      const file = join(dir, 'fw.bin');
      await expect(download(target(`${server.url}/fw.bin`), file, options)).rejects.toMatchObject({
        code: 'TRANSFER_FAILED',
        message: expect.not.stringContaining('secret'),
      });
      const second = await download(target(`${server.url}/fw.bin`), file, options);
      expect(second.bytes).toBe(firmware.length);
      expect(second.resumedFrom).toBeGreaterThan(0);
      expect(readFileSync(file).equals(firmware)).toBe(true);
      if ('requests' in server)
        expect(server.requests.at(-1)?.range).toBe(`bytes=${second.resumedFrom}-`);
    },
  );

  test.each(['http', 'ftp'] as const)(
    '%s: a slow but steady server completes; a stalled one fails after the idle timeout',
    async (kind) => {
      const dir = tempDirectory('transfer');
      const small = firmware.subarray(0, 40_000);
      const slow = { slow: { chunkBytes: 4_000, everyMs: 60 } };
      const slowServer =
        kind === 'http'
          ? await httpFileServer({ '/fw.bin': small }, slow)
          : await ftpFileServer({ 'fw.bin': small }, slow);
      await expect(
        download(target(`${slowServer.url}/fw.bin`), join(dir, 'a.bin'), {
          ...options,
          idleTimeoutMs: 500,
        }),
      ).resolves.toMatchObject({ bytes: small.length });
      const stalled =
        kind === 'http'
          ? await httpFileServer({ '/fw.bin': small }, { stall: true })
          : await ftpFileServer({ 'fw.bin': small }, { stall: true });
      await expect(
        download(target(`${stalled.url}/fw.bin`), join(dir, 'b.bin'), {
          ...options,
          idleTimeoutMs: 500,
        }),
      ).rejects.toMatchObject({ code: 'TRANSFER_FAILED' });
    },
  );

  test.each(['http', 'ftp'] as const)(
    '%s: a file over maxBytes fails without filling the disk',
    async (kind) => {
      const dir = tempDirectory('transfer');
      const server =
        kind === 'http'
          ? await httpFileServer({ '/big.bin': firmware })
          : await ftpFileServer({ 'big.bin': firmware });
      await expect(
        download(target(`${server.url}/big.bin`), join(dir, 'big.bin'), {
          ...options,
          maxBytes: 1000,
        }),
      ).rejects.toMatchObject({
        code: 'TRANSFER_FAILED',
        message: expect.stringContaining('limit'),
      });
    },
  );

  test('HTTPS and explicit FTPS verify the server against the given CA, and refuse an unknown one', async () => {
    const pki = await createTestPki();
    const tls = { key: pki.server.ecdsa.privateKeyPem, cert: pki.server.ecdsa.chainPem };
    const dir = tempDirectory('transfer');
    const https = await httpFileServer({ '/fw.bin': firmware }, { tls });
    const ftps = await ftpFileServer({ 'fw.bin': firmware }, { tls });
    const trusted = { ...options, ca: pki.root.certificatePem };
    for (const [i, server] of [https, ftps].entries()) {
      await expect(
        download(target(`${server.url}/fw.bin`), join(dir, `ok-${i}.bin`), trusted),
      ).resolves.toMatchObject({ bytes: firmware.length });
      await expect(
        download(target(`${server.url}/fw.bin`), join(dir, `no-${i}.bin`), options),
      ).rejects.toMatchObject({ code: 'TRANSFER_FAILED' });
    }
  });
});
