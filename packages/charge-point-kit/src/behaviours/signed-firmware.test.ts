import { randomBytes } from 'node:crypto';
import { RpcError } from '@ocpp-kit/rpc-core';
import { parsePemCertificate } from '@ocpp-kit/security';
import { createTestPki } from '@ocpp-kit/security/testing';
import { describe, expect, test } from 'vitest';
import type { ChargePointOptions } from '../charge-point-options.js';
import { acceptedChargePoint, settle } from '../test-helpers/accepted.js';
import { httpFileServer } from '../test-helpers/file-servers.js';
import { FirmwareHardware } from '../test-helpers/firmware-hardware.js';
import { signedFirmware } from '../test-helpers/signed-firmware.js';

const pki = createTestPki();
const image = randomBytes(80_000);

async function withManufacturerRoot(options: Partial<ChargePointOptions> = {}) {
  const testPki = await pki;
  const hardware = new FirmwareHardware();
  hardware.installResult = { reboot: false };
  const made = await acceptedChargePoint({ hardware, ...options });
  await made.connection.call('InstallCertificate', {
    certificateType: 'ManufacturerRootCertificate',
    certificate: testPki.manufacturerRoot.certificatePem,
  });
  const server = await httpFileServer({ '/fw.bin': image });
  const statuses = () => made.sent('SignedFirmwareStatusNotification').map((r) => r.payload);
  const events = () => made.sent('SecurityEventNotification').map((r) => r.payload.type);
  return { ...made, hardware, server, statuses, events, testPki };
}

describe('signed firmware (whitepaper L01)', () => {
  test('L01 happy flow: Downloading, Downloaded, SignatureVerified, Installing, Installed, each with the requestId (L01.FR.10)', async () => {
    const cp = await withManufacturerRoot();
    await expect(
      cp.connection.call('SignedUpdateFirmware', {
        requestId: 42,
        firmware: signedFirmware(cp.testPki, image, `${cp.server.url}/fw.bin`),
      }),
    ).resolves.toEqual({ status: 'Accepted' });
    await cp.csms.waitFor('SignedFirmwareStatusNotification', 5);
    expect(cp.statuses()).toEqual(
      ['Downloading', 'Downloaded', 'SignatureVerified', 'Installing', 'Installed'].map(
        (status) => ({ status, requestId: 42 }),
      ),
    );
    expect(cp.hardware.installed[0]?.equals(image)).toBe(true);
    expect(cp.events()).toContain('FirmwareUpdated');
  });

  test('L01.FR.24: a signing certificate not of an installed ManufacturerRootCertificate is InvalidCertificate, with InvalidFirmwareSigningCertificate (L01.FR.02)', async () => {
    const cp = await withManufacturerRoot();
    const foreign = await createTestPki();
    await expect(
      cp.connection.call('SignedUpdateFirmware', {
        requestId: 1,
        firmware: signedFirmware(foreign, image, `${cp.server.url}/fw.bin`),
      }),
    ).resolves.toEqual({ status: 'InvalidCertificate' });
    await cp.csms.waitFor('SecurityEventNotification', 2);
    expect(cp.events()).toContain('InvalidFirmwareSigningCertificate');
    expect(cp.server.transfers()).toBe(0);
  });

  test('L01.FR.25: a signing certificate the application reports revoked is RevokedCertificate', async () => {
    const testPki = await pki;
    const cp = await withManufacturerRoot({
      isFirmwareCertificateRevoked: (certificate) =>
        certificate.fingerprint ===
        parsePemCertificate(testPki.firmwareSigner.certificatePem, 'signer').fingerprint,
    });
    await expect(
      cp.connection.call('SignedUpdateFirmware', {
        requestId: 3,
        firmware: signedFirmware(cp.testPki, image, `${cp.server.url}/fw.bin`),
      }),
    ).resolves.toEqual({ status: 'RevokedCertificate' });
    expect(cp.server.transfers()).toBe(0);
  });

  test('L01.FR.03/04: a signature that does not match the image is InvalidSignature, with InvalidFirmwareSignature; nothing is installed', async () => {
    const cp = await withManufacturerRoot();
    const firmware = signedFirmware(cp.testPki, randomBytes(100), `${cp.server.url}/fw.bin`);
    await cp.connection.call('SignedUpdateFirmware', { requestId: 7, firmware });
    await cp.csms.waitFor('SignedFirmwareStatusNotification', 3);
    expect(cp.statuses().map((p) => p.status)).toEqual([
      'Downloading',
      'Downloaded',
      'InvalidSignature',
    ]);
    await settle(100);
    expect(cp.events()).toContain('InvalidFirmwareSignature');
    expect(cp.hardware.installed).toEqual([]);
  });

  test('L01.FR.13/16/26: a later retrieveDateTime is DownloadScheduled; a new request cancels it (AcceptedCanceled)', async () => {
    const cp = await withManufacturerRoot();
    const later = new Date(Date.now() + 3_600_000).toISOString();
    await cp.connection.call('SignedUpdateFirmware', {
      requestId: 1,
      firmware: signedFirmware(cp.testPki, image, `${cp.server.url}/fw.bin`, {
        retrieveDateTime: later,
      }),
    });
    await cp.csms.waitFor('SignedFirmwareStatusNotification', 1);
    expect(cp.statuses()).toEqual([{ status: 'DownloadScheduled', requestId: 1 }]);
    await expect(
      cp.connection.call('SignedUpdateFirmware', {
        requestId: 2,
        firmware: signedFirmware(cp.testPki, image, `${cp.server.url}/fw.bin`, {
          installDateTime: later,
        }),
      }),
    ).resolves.toEqual({ status: 'AcceptedCanceled' });
    await cp.csms.waitFor('SignedFirmwareStatusNotification', 5);
    expect(
      cp
        .statuses()
        .slice(1)
        .map((p) => [p.status, p.requestId]),
    ).toEqual([
      ['Downloading', 2],
      ['Downloaded', 2],
      ['SignatureVerified', 2],
      ['InstallScheduled', 2],
    ]);
    await expect(
      cp.connection.call('ExtendedTriggerMessage', {
        requestedMessage: 'FirmwareStatusNotification',
      }),
    ).resolves.toEqual({ status: 'Accepted' });
    await cp.csms.waitFor('SignedFirmwareStatusNotification', 6);
    expect(cp.statuses().at(-1)).toEqual({ status: 'InstallScheduled', requestId: 2 });
  });

  test('L01.FR.20: a charge point that requires signed firmware answers UpdateFirmware with CALLERROR NotSupported', async () => {
    const cp = await withManufacturerRoot({ requireSignedFirmware: true });
    const error = await cp.connection
      .call('UpdateFirmware', {
        location: `${cp.server.url}/fw.bin`,
        retrieveDate: new Date().toISOString(),
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({ code: 'NotSupported' });
    await settle();
    expect(cp.server.transfers()).toBe(0);
  });
});
