import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isIssuedBy, parsePemCertificate } from './certificate.js';
import { CertificateStore } from './certificate-store.js';
import { issueCertificate, type KeyAndCertificate } from './issue.js';
import { generateKeyPair } from './keys.js';
import { tempDir } from './test-helpers/openssl.js';
import { openBackend, storageBackends } from './test-helpers/storage-backends.js';

const rounds = 24;
let base: { path: string; remove: () => Promise<void> };
let roots: string[];

beforeAll(async () => {
  base = await tempDir('store-crash');
  // A rollover sequence: root i + 1 is issued by root i, as AdditionalRootCertificateCheck needs.
  roots = [];
  let previous: KeyAndCertificate | undefined;
  for (let i = 0; i < rounds * 4 + 8; i++) {
    const pair = await generateKeyPair();
    const certificatePem = await issueCertificate({
      profile: 'root',
      subject: { organizationName: 'ACME', commonName: `Rollover Root ${i}` },
      publicKeyPem: pair.publicKeyPem,
      ...(previous === undefined
        ? { selfSigningKeyPem: pair.privateKeyPem }
        : { issuer: previous }),
    });
    previous = { certificatePem, privateKeyPem: pair.privateKeyPem };
    roots.push(certificatePem);
  }
});
afterAll(() => base.remove());

/** Index of each installed root in the sequence, current first. */
function state(store: CertificateStore): { current: number[]; fallback: number[] } {
  const index = (pem: string) => roots.findIndex((r) => parsePemCertificate(r).pem === pem);
  const entries = store.installed('CentralSystemRootCertificate');
  return {
    current: entries.filter((e) => !e.fallback).map((e) => index(e.certificate.pem)),
    fallback: entries.filter((e) => e.fallback).map((e) => index(e.certificate.pem)),
  };
}

describe.each(storageBackends)(
  'certificate store crash safety on the %s storage (7.1 AdditionalRootCertificateCheck, M05.FR.08-13)',
  (backend) => {
    test(`regression: SIGKILL during root rollovers left several "current" roots; ${rounds} kills leave exactly one current root, at most its issuer as fallback, and no install lost`, async () => {
      const directory = join(base.path, backend);
      await mkdir(directory);
      const sequence = join(base.path, 'roots.json');
      await writeFile(sequence, JSON.stringify(roots));
      const source = fileURLToPath(new URL('./certificate-store.ts', import.meta.url));
      const backends = fileURLToPath(
        new URL('./test-helpers/storage-backends.ts', import.meta.url),
      );
      // The child rolls the root over as fast as it can, confirming the connection through every
      // second new root (M05.FR.12 drops the fallback), and prints each install that resolved.
      const script = `
      const { readFile } = await import('node:fs/promises');
      const { CertificateStore } = await import(${JSON.stringify(source)});
      const { openBackend } = await import(${JSON.stringify(backends)});
      const roots = JSON.parse(await readFile(${JSON.stringify(sequence)}, 'utf8'));
      const opened = openBackend(${JSON.stringify(backend)}, ${JSON.stringify(directory)});
      const store = await CertificateStore.open({ ...opened.certificateStore, additionalRootCertificateCheck: true, maxLength: 3 });
      const norm = (pem) => pem.replace(/\\s+/g, '');
      for (;;) {
        const current = store.installed('CentralSystemRootCertificate').find((e) => !e.fallback);
        const i = current === undefined ? -1 : roots.findIndex((r) => norm(r) === norm(current.certificate.pem));
        if (i + 1 >= roots.length) break;
        const result = await store.install('CentralSystemRootCertificate', roots[i + 1]);
        if (result.status !== 'Accepted') throw new Error(JSON.stringify(result));
        if ((i + 1) % 2 === 0) await store.connectionSucceeded(store.trustAnchorFor('CentralSystemRootCertificate', roots[i + 1]).certificate.fingerprint);
        process.stdout.write((i + 1) + '\\n');
      }`;
      let confirmed = -1;
      for (let round = 0; round < rounds && confirmed + 2 < roots.length; round++) {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', '--input-type=module', '-e', script],
          {
            cwd: fileURLToPath(new URL('..', import.meta.url)),
            stdio: ['ignore', 'pipe', 'inherit'],
          },
        );
        // Kill after 1-3 confirmed installs, i.e. somewhere inside the next one.
        const killAfter = 1 + (round % 3);
        let seen = 0;
        await new Promise<void>((resolve, reject) => {
          const deadline = setTimeout(() => child.kill('SIGKILL'), 20_000);
          child.stdout.on('data', (chunk: Buffer) => {
            for (const text of chunk.toString().split('\n')) {
              if (text === '') continue;
              confirmed = Math.max(confirmed, Number(text));
              if (++seen >= killAfter && child.exitCode === null) child.kill('SIGKILL');
            }
          });
          child.on('exit', () => {
            clearTimeout(deadline);
            resolve();
          });
          child.on('error', reject);
        });
        const opened = openBackend(backend, directory);
        const store = await CertificateStore.open({
          ...opened.certificateStore,
          additionalRootCertificateCheck: true,
        });
        expect(store.problems).toEqual([]);
        const { current, fallback } = state(store);
        expect(current).toHaveLength(1);
        const now = current[0] as number;
        expect(now).toBeGreaterThanOrEqual(confirmed); // nothing that resolved was lost
        expect(now).toBeLessThanOrEqual(confirmed + 1); // at most the install it was killed in
        expect(fallback.length).toBeLessThanOrEqual(1);
        if (fallback.length === 1) {
          expect(fallback[0]).toBe(now - 1);
          const [cert, issuer] = [roots[now], roots[now - 1]].map((pem) =>
            parsePemCertificate(pem as string),
          );
          expect(isIssuedBy(cert as never, issuer as never)).toBe(true);
        }
        // M05.FR.10: the next root in the sequence is still accepted after the crash.
        if (now + 1 < roots.length) {
          expect(
            await store.install('CentralSystemRootCertificate', roots[now + 1] as string),
          ).toEqual({
            status: 'Accepted',
          });
          confirmed = now + 1;
        }
        opened.close();
      }
      expect(confirmed).toBeGreaterThan(rounds);
    }, 120_000);
  },
);
