// `npx tsx --conditions=@ocpp-kit/source packages/security/bench/run.ts`
// Throughput of the security building blocks, each beside a comparison figure: the openssl CLI
// doing the same job (what a shell-script integration pays), @peculiar/x509 parsing, or a raw
// append+fdatasync loop (the floor for a durable log).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  certificateHashData,
  createCertificateSigningRequest,
  parsePemCertificate,
  SecurityLog,
  signCertificateRequest,
  validateCertificateSigned,
  verifyFirmware,
} from '@ocpp-kit/security';
import { createTestPki } from '@ocpp-kit/security/testing';

const opensslBin = process.env.OPENSSL ?? '/usr/bin/openssl';
const dir = await mkdtemp(join(tmpdir(), 'ocpp-kit-security-bench-'));
const rows: Array<[string, string, string]> = [];

/** Runs `fn` repeatedly for about `ms` milliseconds; returns operations per second. */
async function rate(fn: () => unknown, ms = 1000): Promise<number> {
  for (let i = 0; i < 5; i++) await fn();
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    await fn();
    count++;
  }
  return (count * 1000) / (performance.now() - start);
}

const fmt = (n: number, unit: string) =>
  `${n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1)} ${unit}`;
const openssl = (...args: string[]) => execFileSync(opensslBin, args, { cwd: dir, stdio: 'pipe' });

try {
  const pki = await createTestPki({ cpoName: 'Bench CPO' });
  const csr = await createCertificateSigningRequest({ cpoName: 'Bench CPO', serialNumber: 'CP-1' });
  const signed = await signCertificateRequest({ csrPem: csr.csrPem, ca: pki.subCa });
  await writeFile(join(dir, 'root.pem'), pki.root.certificatePem);
  await writeFile(join(dir, 'sub.pem'), pki.subCa.certificatePem);
  await writeFile(join(dir, 'leaf.pem'), signed.certificatePem);
  await writeFile(join(dir, 'chain.pem'), signed.certificateChain);

  // 1. GetInstalledCertificateIds: PEM -> CertificateHashData.
  const ours = await rate(() => {
    const cert = parsePemCertificate(pki.root.certificatePem);
    return certificateHashData(cert, cert, 'SHA256');
  });
  const viaOpenssl = await rate(
    () =>
      openssl(
        'ocsp',
        '-issuer',
        'root.pem',
        '-sha256',
        '-cert',
        'root.pem',
        '-no_nonce',
        '-reqout',
        'r.der',
      ),
    1500,
  );
  rows.push([
    'hash data (parse PEM + SHA-256 CertID)',
    fmt(ours, 'ops/s'),
    `openssl ocsp -reqout: ${fmt(viaOpenssl, 'ops/s')}`,
  ]);

  // 2. Certificate parsing alone vs @peculiar/x509.
  const x509 = await import('@peculiar/x509');
  const parseOurs = await rate(() => parsePemCertificate(signed.certificatePem));
  const parseX509 = await rate(() => new x509.X509Certificate(signed.certificatePem));
  rows.push([
    'parse certificate (PEM)',
    fmt(parseOurs, 'ops/s'),
    `@peculiar/x509: ${fmt(parseX509, 'ops/s')}`,
  ]);

  // 3. CertificateSigned chain validation.
  const chain = await rate(() =>
    validateCertificateSigned({
      certificateChain: signed.certificateChain,
      centralSystemRoots: [pki.root.certificatePem],
      csrPublicKey: csr.publicKeyPem,
      cpoName: 'Bench CPO',
      serialNumber: 'CP-1',
    }),
  );
  const verifyCli = await rate(
    () => openssl('verify', '-CAfile', 'root.pem', '-untrusted', 'sub.pem', 'leaf.pem'),
    1500,
  );
  rows.push([
    'CertificateSigned chain validation',
    fmt(chain, 'ops/s'),
    `openssl verify: ${fmt(verifyCli, 'ops/s')}`,
  ]);

  // 4. CSR generation (ECDSA P-256, new key each time).
  const csrs = await rate(() =>
    createCertificateSigningRequest({ cpoName: 'Bench CPO', serialNumber: 'CP-1' }),
  );
  const csrCli = await rate(
    () =>
      openssl(
        'req',
        '-new',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        'k.pem',
        '-subj',
        '/O=Bench CPO/CN=CP-1',
        '-out',
        'c.pem',
      ),
    1500,
  );
  rows.push([
    'CSR with new P-256 key',
    fmt(csrs, 'ops/s'),
    `openssl req -newkey: ${fmt(csrCli, 'ops/s')}`,
  ]);

  // 5. Signed firmware: 64 MiB, ECDSA P-256 / SHA-256, streamed from disk.
  const size = 64 * 1024 * 1024;
  await writeFile(join(dir, 'fw.bin'), randomBytes(size));
  await writeFile(join(dir, 'fw.key'), pki.firmwareSigner.privateKeyPem);
  openssl('dgst', '-sha256', '-sign', 'fw.key', '-out', 'fw.sig', 'fw.bin');
  openssl('pkey', '-in', 'fw.key', '-pubout', '-out', 'fw.pub');
  const signature = openssl('base64', '-A', '-in', 'fw.sig').toString();
  let start = performance.now();
  const verdict = await verifyFirmware({
    file: join(dir, 'fw.bin'),
    signature,
    signingCertificate: pki.firmwareSigner.certificatePem,
    manufacturerRoots: [pki.manufacturerRoot.certificatePem],
  });
  const oursMs = performance.now() - start;
  if (verdict.status !== 'Accepted') throw new Error(`firmware did not verify: ${verdict.message}`);
  start = performance.now();
  openssl('dgst', '-sha256', '-verify', 'fw.pub', '-signature', 'fw.sig', 'fw.bin');
  const cliMs = performance.now() - start;
  const mbps = (ms: number) => (size / 1024 / 1024 / ms) * 1000;
  rows.push([
    'firmware verify 64 MiB (ECDSA, streamed)',
    fmt(mbps(oursMs), 'MiB/s'),
    `openssl dgst -verify: ${fmt(mbps(cliMs), 'MiB/s')}`,
  ]);

  // 6. Security log: one fsynced record per event vs a raw append + fdatasync loop. Rounds
  // alternate and the median is shown, because fsync latency drifts with the machine's load.
  const log = await SecurityLog.open({ file: join(dir, 'security.log'), maxEntries: 1000 });
  const raw = await open(join(dir, 'raw.log'), 'a');
  const line = `${'0'.repeat(16)} {"s":1,"t":"InvalidMessages","ts":"2026-01-01T00:00:00.000Z","c":false,"i":"bench"}\n`;
  const logRates: number[] = [];
  const rawRates: number[] = [];
  for (let round = 0; round < 5; round++) {
    logRates.push(await rate(() => log.record('InvalidMessages', { techInfo: 'bench' }), 400));
    rawRates.push(
      await rate(async () => {
        await raw.write(line);
        await raw.datasync();
      }, 400),
    );
  }
  await log.close();
  await raw.close();
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  rows.push([
    'security log record (fsync each)',
    fmt(median(logRates), 'records/s'),
    `raw append+fdatasync: ${fmt(median(rawRates), 'writes/s')}`,
  ]);

  const widths = [0, 1, 2].map((i) =>
    Math.max(
      ...rows.map((r) => (r[i] ?? '').length),
      ['operation', 'ours', 'comparison'][i]?.length ?? 0,
    ),
  );
  const print = (r: readonly string[]) =>
    console.log(r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  '));
  print(['operation', 'ours', 'comparison']);
  print(widths.map((w) => '-'.repeat(w)));
  for (const row of rows) print(row);
} finally {
  await rm(dir, { recursive: true, force: true });
}
