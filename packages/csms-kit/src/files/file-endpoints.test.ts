import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import { FileEndpoints } from './file-endpoints.js';

async function endpoints(maxUploadBytes = 1024 * 1024) {
  const dir = mkdtempSync(join(tmpdir(), 'csms-files-'));
  const uploads: { name: string; bytes: number }[] = [];
  const files = new FileEndpoints({
    firmwareDir: join(dir, 'firmware'),
    uploadDir: join(dir, 'uploads'),
    maxUploadBytes,
    onUpload: ({ name, bytes }) => uploads.push({ name, bytes }),
  });
  const { port } = await files.listen();
  onTestFinished(() => files.close());
  return { dir, uploads, base: `http://127.0.0.1:${port}` };
}

describe('firmware and diagnostics endpoints (§5.9 GetDiagnostics, §5.19 UpdateFirmware)', () => {
  test('§5.19 a firmware file is served with its length; an unknown one is 404, a traversal 400', async () => {
    const { dir, base } = await endpoints();
    const firmware = Buffer.alloc(300_000, 7);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'firmware'), { recursive: true });
    writeFileSync(join(dir, 'firmware', 'fw-2.0.bin'), firmware);
    const ok = await fetch(`${base}/firmware/fw-2.0.bin`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-length')).toBe('300000');
    expect(Buffer.from(await ok.arrayBuffer()).equals(firmware)).toBe(true);
    expect((await fetch(`${base}/firmware/nope.bin`)).status).toBe(404);
    expect((await fetch(`${base}/firmware/..%2F..%2Fetc%2Fpasswd`)).status).toBe(400);
    expect((await fetch(`${base}/firmware/.hidden`)).status).toBe(400);
    expect((await fetch(`${base}/elsewhere`)).status).toBe(404);
  });

  test('§5.9 a diagnostics upload by PUT (raw) and by POST multipart/form-data lands on disk intact', async () => {
    const { dir, base, uploads } = await endpoints();
    const raw = Buffer.from('line 1\nline 2\n'.repeat(5000));
    expect((await fetch(`${base}/uploads/diag-1.log`, { method: 'PUT', body: raw })).status).toBe(
      201,
    );
    expect(readFileSync(join(dir, 'uploads', 'diag-1.log')).equals(raw)).toBe(true);
    const form = new FormData();
    form.append('note', 'a form field before the file');
    const file = Buffer.concat([
      Buffer.from('\r\n--not-the-boundary\r\n'),
      Buffer.alloc(70_000, 0xab),
    ]);
    form.append('file', new Blob([file]), 'diag-2.zip');
    expect((await fetch(`${base}/uploads/diag-2.zip`, { method: 'POST', body: form })).status).toBe(
      201,
    );
    expect(readFileSync(join(dir, 'uploads', 'diag-2.zip')).equals(file)).toBe(true);
    expect(uploads).toEqual([
      { name: 'diag-1.log', bytes: raw.length },
      { name: 'diag-2.zip', bytes: file.length },
    ]);
  });

  test('an upload over the limit gets 413 and leaves nothing behind', async () => {
    const { dir, base } = await endpoints(10_000);
    const status = await new Promise<number>((resolve, reject) => {
      // Chunked, no Content-Length: the limit is enforced on the bytes as they arrive.
      const req = request(`${base}/uploads/big.log`, { method: 'PUT' }, (res) =>
        resolve(res.statusCode ?? 0),
      );
      req.on('error', reject);
      for (let i = 0; i < 20; i++) req.write(Buffer.alloc(1000));
      req.end();
    });
    expect(status).toBe(413);
    const { readdirSync, existsSync } = await import('node:fs');
    expect(existsSync(join(dir, 'uploads')) ? readdirSync(join(dir, 'uploads')) : []).toEqual([]);
  });

  test('a multipart body cut before the end of its file is 400 and stores nothing', async () => {
    const { dir, base } = await endpoints();
    const body =
      '--b\r\nContent-Disposition: form-data; name="file"; filename="x"\r\n\r\nhalf a file';
    const response = await fetch(`${base}/uploads/cut.zip`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=b' },
      body,
    });
    expect(response.status).toBe(400);
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(join(dir, 'uploads'))).toEqual([]);
  });
});
