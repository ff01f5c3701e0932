import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

/**
 * Runs `body` in a fresh Node process (TypeScript sources through tsx) with a resolve hook that
 * records every module URL loaded, and returns those URLs.
 */
function loadedModules(body: string): Promise<string[]> {
  const hook = `let port;
    export function initialize(data) { port = data.port; }
    export async function resolve(specifier, context, next) {
      const result = await next(specifier, context);
      port.postMessage(result.url);
      return result;
    }`;
  const script = `
    import { register } from 'node:module';
    import { MessageChannel } from 'node:worker_threads';
    const { port1, port2 } = new MessageChannel();
    const seen = [];
    port1.on('message', (url) => seen.push(url));
    register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}), {
      data: { port: port2 },
      transferList: [port2],
    });
    ${body}
    await new Promise((resolve) => setTimeout(resolve, 200));
    port1.close();
    process.stdout.write(JSON.stringify(seen));`;
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=@ocpp-kit/source', '--input-type=module', '-e', script],
      { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`child exited ${code}: ${err}`));
      else resolve(JSON.parse(out) as string[]);
    });
  });
}

const heavy = (urls: readonly string[]) =>
  urls.filter((u) => /@peculiar|reflect-metadata|tsyringe/.test(u));

describe('heavy dependency split (issue 5: keep @peculiar/x509 out of the import path)', () => {
  test('importing @ocpp-kit/security loads neither @peculiar/x509 nor reflect-metadata', async () => {
    const urls = await loadedModules(`await import('@ocpp-kit/security');`);
    expect(urls.some((u) => u.endsWith('/src/index.ts'))).toBe(true);
    expect(heavy(urls)).toEqual([]);
  });

  test('importing @ocpp-kit/security/authorization-key loads only that module and errors', async () => {
    const urls = await loadedModules(`await import('@ocpp-kit/security/authorization-key');`);
    const own = urls.filter((u) => u.includes('/packages/security/src/'));
    expect(own.map((u) => u.split('/src/')[1]).sort()).toEqual([
      'authorization-key.ts',
      'errors.ts',
    ]);
    expect(heavy(urls)).toEqual([]);
  });

  test('control: creating a CSR does load @peculiar/x509 (so the checks above can fail)', async () => {
    const urls = await loadedModules(`
      const { createCertificateSigningRequest } = await import('@ocpp-kit/security');
      await createCertificateSigningRequest({ cpoName: 'ACME', serialNumber: 'CP-1' });`);
    expect(heavy(urls).some((u) => u.includes('@peculiar/x509'))).toBe(true);
    expect(heavy(urls).some((u) => u.includes('reflect-metadata'))).toBe(true);
  });
});
