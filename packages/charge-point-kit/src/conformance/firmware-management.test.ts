// OCTT 1.6 `_CS` cases of the Firmware Management profile (§4.4, §4.5, §5.9, §5.19, chapter 8).
import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { acceptedChargePoint } from '../test-helpers/accepted.js';
import { ftpFileServer, httpFileServer } from '../test-helpers/file-servers.js';
import { FirmwareHardware } from '../test-helpers/firmware-hardware.js';

const image = randomBytes(64_000);
const now = () => new Date().toISOString();

async function sut() {
  const hardware = new FirmwareHardware();
  hardware.installResult = { reboot: false };
  const made = await acceptedChargePoint({ hardware });
  const statuses = (action: 'FirmwareStatusNotification' | 'DiagnosticsStatusNotification') =>
    made.sent(action).map((r) => r.payload.status);
  return { ...made, hardware, statuses };
}

describe('OCTT Firmware Management (_CS)', () => {
  test('TC_044_1_CS Firmware Update - Download and Install', async () => {
    const cp = await sut();
    const server = await ftpFileServer({ 'fw.bin': image });
    await expect(
      cp.connection.call('UpdateFirmware', {
        location: `${server.url}/fw.bin`,
        retrieveDate: now(),
      }),
    ).resolves.toEqual({});
    await cp.csms.waitFor('FirmwareStatusNotification', 4);
    expect(cp.statuses('FirmwareStatusNotification')).toEqual([
      'Downloading',
      'Downloaded',
      'Installing',
      'Installed',
    ]);
    expect(cp.hardware.installed[0]?.equals(image)).toBe(true);
  });

  test('TC_044_2_CS Firmware Update - Download Failed', async () => {
    const cp = await sut();
    const server = await httpFileServer({});
    await cp.connection.call('UpdateFirmware', {
      location: `${server.url}/missing.bin`,
      retrieveDate: now(),
      retries: 1,
      retryInterval: 0,
    });
    await cp.csms.waitFor('FirmwareStatusNotification', 2);
    expect(cp.statuses('FirmwareStatusNotification')).toEqual(['Downloading', 'DownloadFailed']);
    expect(cp.hardware.installed).toEqual([]);
  });

  test('TC_044_3_CS Firmware Update - Installation Failed', async () => {
    const cp = await sut();
    cp.hardware.installError = new Error('image rejected by the bootloader');
    const server = await httpFileServer({ '/fw.bin': image });
    await cp.connection.call('UpdateFirmware', {
      location: `${server.url}/fw.bin`,
      retrieveDate: now(),
    });
    await cp.csms.waitFor('FirmwareStatusNotification', 4);
    expect(cp.statuses('FirmwareStatusNotification')).toEqual([
      'Downloading',
      'Downloaded',
      'Installing',
      'InstallationFailed',
    ]);
  });

  test('TC_045_1_CS Get Diagnostics', async () => {
    const cp = await sut();
    const server = await ftpFileServer({ 'upload/.keep': Buffer.alloc(0) });
    const answer = await cp.connection.call('GetDiagnostics', {
      location: `${server.url}/upload/`,
    });
    expect(answer.fileName).toMatch(/\.tar\.gz$/);
    await cp.csms.waitFor('DiagnosticsStatusNotification', 2);
    expect(cp.statuses('DiagnosticsStatusNotification')).toEqual(['Uploading', 'Uploaded']);
  });

  test('TC_045_2_CS Get Diagnostics - Upload Failed', async () => {
    const cp = await sut();
    const answer = await cp.connection.call('GetDiagnostics', {
      location: 'ftp://user:wrong@127.0.0.1:1/upload/',
      retries: 0,
    });
    expect(answer.fileName).toBeDefined();
    await cp.csms.waitFor('DiagnosticsStatusNotification', 2);
    expect(cp.statuses('DiagnosticsStatusNotification')).toEqual(['Uploading', 'UploadFailed']);
  });
});
