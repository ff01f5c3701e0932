// The reference charge point (charge-point-kit, its own process) against the reference CSMS for
// what the reference charge point's README shows: a firmware update plain and signed, a
// diagnostics upload and a certificate renewal, each through the operator API.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, sign } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestPki } from '@ocpp-kit/security/testing';
import { describe, expect, onTestFinished, test } from 'vitest';
import { startTestCsms, type TestCsms } from './test-support/test-csms.js';

const referenceChargePoint = fileURLToPath(
  new URL('../../reference-charge-point/src/main.ts', import.meta.url),
);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The reference charge point SIM-1 against `csms`, until the test ends. */
async function referenceCp(csms: TestCsms, registration: object = {}): Promise<ChildProcess> {
  await csms.api('POST', '/api/charge-points', {
    identity: 'SIM-1',
    securityProfile: 0,
    ...registration,
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'reference-cp-'));
  const child = spawn(
    process.execPath,
    [
      ...['--conditions=@ocpp-kit/source', '--import', 'tsx', referenceChargePoint],
      ...['--csms', csms.ocppUrl, '--connectors', '1', '--data-dir', dataDir],
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  onTestFinished(() => {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });
  await until(
    async () => (await csms.api('GET', '/api/charge-points/SIM-1')).body.connected === true,
  );
  return child;
}

async function until(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(100);
  }
}

const command = (csms: TestCsms, action: string, payload: unknown) =>
  csms.api('POST', `/api/commands/${action}`, { chargePoints: ['SIM-1'], payload });

const jobs = async (csms: TestCsms) =>
  (
    (await csms.api('GET', '/api/jobs?chargePoint=SIM-1')).body.jobs as {
      kind: string;
      status: string;
      requestId?: number;
    }[]
  ).reverse();

/** Puts an image where the reference CSMS serves firmware; its URL. */
function hostFirmware(csms: TestCsms, name: string, image: Buffer): string {
  mkdirSync(join(csms.dataDir, 'firmware'), { recursive: true });
  writeFileSync(join(csms.dataDir, 'firmware', name), image);
  return `http://127.0.0.1:${csms.filesPort}/firmware/${name}`;
}

describe('the reference charge point with the reference CSMS: files and certificates', () => {
  test('§5.19 firmware update: UpdateFirmware through the API, the image downloaded from the CSMS and installed; Installed recorded', async () => {
    const csms = await startTestCsms();
    await referenceCp(csms);
    const location = hostFirmware(csms, 'wallbox-2.0.bin', randomBytes(300_000));
    const sent = await command(csms, 'UpdateFirmware', {
      location,
      retrieveDate: new Date().toISOString(),
    });
    expect(sent.status).toBe(200);
    await until(async () => (await jobs(csms)).some((j) => j.status === 'Installed'));
    expect((await jobs(csms)).map((j) => j.status)).toEqual([
      'Downloading',
      'Downloaded',
      'Installing',
      'Installed',
    ]);
  }, 60_000);

  test('L01 signed firmware update: the manufacturer root installed, SignedUpdateFirmware verified and installed', async () => {
    const [csms, pki] = await Promise.all([startTestCsms(), createTestPki()]);
    await referenceCp(csms);
    await command(csms, 'InstallCertificate', {
      certificateType: 'ManufacturerRootCertificate',
      certificate: pki.manufacturerRoot.certificatePem,
    });
    const image = randomBytes(200_000);
    const location = hostFirmware(csms, 'wallbox-2.1.bin', image);
    await command(csms, 'SignedUpdateFirmware', {
      requestId: 21,
      firmware: {
        location,
        retrieveDateTime: new Date().toISOString(),
        signingCertificate: pki.firmwareSigner.certificatePem,
        signature: sign('sha256', image, pki.firmwareSigner.privateKeyPem).toString('base64'),
      },
    });
    await until(async () => (await jobs(csms)).some((j) => j.status === 'Installed'));
    expect((await jobs(csms)).map((j) => [j.status, j.requestId])).toEqual(
      ['Downloading', 'Downloaded', 'SignatureVerified', 'Installing', 'Installed'].map((s) => [
        s,
        21,
      ]),
    );
  }, 60_000);

  test('§5.9 diagnostics upload: GetDiagnostics through the API, the archive lands in the CSMS uploads', async () => {
    const csms = await startTestCsms();
    await referenceCp(csms);
    const sent = await command(csms, 'GetDiagnostics', {
      location: `http://127.0.0.1:${csms.filesPort}/uploads/`,
    });
    const fileName = sent.body.results[0].response.fileName as string;
    await until(async () => (await jobs(csms)).some((j) => j.status === 'Uploaded'));
    const uploads = readdirSync(join(csms.dataDir, 'uploads'));
    expect(uploads).toEqual([fileName]);
    // A gzip file (RFC 1952 magic bytes).
    expect(readFileSync(join(csms.dataDir, 'uploads', fileName)).subarray(0, 2)).toEqual(
      Buffer.from([0x1f, 0x8b]),
    );
  }, 60_000);

  test('A02 certificate renewal: the CSMS root installed, ExtendedTriggerMessage SignChargePointCertificate, the CSR signed by the CSMS, CertificateSigned Accepted', async () => {
    const csms = await startTestCsms({ cpoName: 'Test CPO' });
    // The charge point certificate's CN is the serial number (A00.FR.405): RW22-1 by its template.
    await referenceCp(csms, { certificateCommonName: 'RW22-1' });
    await command(csms, 'ChangeConfiguration', { key: 'CpoName', value: 'Test CPO' });
    const root = readFileSync(join(csms.dataDir, 'ca', 'root.pem'), 'utf8');
    const installed = await command(csms, 'InstallCertificate', {
      certificateType: 'CentralSystemRootCertificate',
      certificate: root,
    });
    expect(installed.body.results[0].response).toEqual({ status: 'Accepted' });
    const triggered = await command(csms, 'ExtendedTriggerMessage', {
      requestedMessage: 'SignChargePointCertificate',
    });
    expect(triggered.body.results[0].response).toEqual({ status: 'Accepted' });
    // The CSMS signs the CSR with its sub-CA and sends CertificateSigned; the kit accepts it.
    await until(
      async () =>
        ((await csms.api('GET', '/api/charge-points/SIM-1')).body.certificates ?? []).length > 0,
    );
    expect((await csms.api('GET', '/api/charge-points/SIM-1')).body.certificates).toEqual([
      expect.objectContaining({ status: 'Accepted' }),
    ]);
  }, 60_000);
});
