import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { ChargePoint } from '../charge-point.js';
import { acceptedChargePoint, settle } from '../test-helpers/accepted.js';
import { httpFileServer } from '../test-helpers/file-servers.js';
import { FirmwareHardware } from '../test-helpers/firmware-hardware.js';
import { testBoot, testChargePoint } from '../test-helpers/test-charge-point.js';

const image = randomBytes(200_000);
const now = () => new Date().toISOString();

async function withFirmware(files = { '/fw/2.0.0.bin': image }, misbehaviour = {}) {
  const hardware = new FirmwareHardware();
  const server = await httpFileServer(files, misbehaviour);
  const made = await acceptedChargePoint({ hardware });
  const statuses = () =>
    made.csms.received
      .filter((r) => r.action === 'FirmwareStatusNotification')
      .map((r) => r.payload.status);
  return { ...made, hardware, server, statuses };
}

describe('firmware update (§4.5, §5.19)', () => {
  test('§5.19: download, Downloaded, Installing, reboot; Installed reported after the boot on the new version (errata 3.47)', async () => {
    const made = await withFirmware();
    const { connection, csms, hardware, server, statuses } = made;
    await expect(
      connection.call('UpdateFirmware', {
        location: `${server.url}/fw/2.0.0.bin`,
        retrieveDate: now(),
      }),
    ).resolves.toEqual({});
    await csms.waitFor('FirmwareStatusNotification', 3);
    await settle(100);
    expect(statuses()).toEqual(['Downloading', 'Downloaded', 'Installing']);
    expect(hardware.installed).toHaveLength(1);
    expect(hardware.installed[0]?.equals(image)).toBe(true);
    expect(hardware.reboots).toEqual(['Hard']);
    await made.chargePoint.stop();
    // The application boots the new image: a new ChargePoint on the same storage.
    const after = new ChargePoint({
      identity: 'CP1',
      csms: csms.url,
      boot: { ...testBoot, firmwareVersion: '2.0.0' },
      connectors: 2,
      hardware,
      storage: { directory: made.directory },
    });
    await after.start();
    await csms.waitFor('FirmwareStatusNotification', 4);
    await settle(200);
    expect(statuses()).toEqual(['Downloading', 'Downloaded', 'Installing', 'Installed']);
    const [, boot] = await csms.waitFor('BootNotification', 2);
    expect(boot?.payload.firmwareVersion).toBe('2.0.0');
    await after.stop();
  });

  test('§5.19 retries: a server dropping the first two transfers is retried retryInterval apart and the image completes', async () => {
    const made = await withFirmware(undefined, { drop: { afterBytes: 50_000, times: 2 } });
    made.hardware.installResult = { reboot: false };
    await made.connection.call('UpdateFirmware', {
      location: `${made.server.url}/fw/2.0.0.bin`,
      retrieveDate: now(),
      retries: 2,
      retryInterval: 1,
    });
    await made.csms.waitFor('FirmwareStatusNotification', 4, 10_000);
    expect(made.statuses()).toEqual(['Downloading', 'Downloaded', 'Installing', 'Installed']);
    expect(made.server.transfers()).toBe(3);
    expect(made.hardware.installed[0]?.equals(image)).toBe(true);
    expect(made.hardware.reboots).toEqual([]);
  });

  test('§5.19: DownloadFailed once retries are spent; InstallationFailed when the adapter fails', async () => {
    const made = await withFirmware(undefined, { drop: { afterBytes: 1_000, times: 10 } });
    await made.connection.call('UpdateFirmware', {
      location: `${made.server.url}/fw/2.0.0.bin`,
      retrieveDate: now(),
      retries: 1,
      retryInterval: 0,
    });
    await made.csms.waitFor('FirmwareStatusNotification', 2);
    expect(made.statuses()).toEqual(['Downloading', 'DownloadFailed']);
    expect(made.server.transfers()).toBe(2);

    const failing = await withFirmware();
    failing.hardware.installError = new Error('flash write failed');
    await failing.connection.call('UpdateFirmware', {
      location: `${failing.server.url}/fw/2.0.0.bin`,
      retrieveDate: now(),
    });
    await failing.csms.waitFor('FirmwareStatusNotification', 4);
    expect(failing.statuses()).toEqual([
      'Downloading',
      'Downloaded',
      'Installing',
      'InstallationFailed',
    ]);
    expect(failing.hardware.reboots).toEqual([]);
  });

  test('errata 3.90: a location outside SupportedFileTransferProtocols is DownloadFailed without a transfer', async () => {
    const hardware = new FirmwareHardware();
    const server = await httpFileServer({ '/fw.bin': image });
    const made = await acceptedChargePoint({
      hardware,
      configuration: { values: { SupportedFileTransferProtocols: ['FTP'] } },
    });
    await made.connection.call('UpdateFirmware', {
      location: `${server.url}/fw.bin`,
      retrieveDate: now(),
    });
    await made.csms.waitFor('FirmwareStatusNotification', 1);
    await settle();
    expect(made.sent('FirmwareStatusNotification').map((r) => r.payload.status)).toEqual([
      'DownloadFailed',
    ]);
    expect(server.transfers()).toBe(0);
  });

  test('errata 3.49: a running transaction is not interrupted; idle connectors go Unavailable and the install follows its end', async () => {
    const made = await withFirmware();
    const { chargePoint, connection, csms, hardware, server } = made;
    hardware.installResult = { reboot: false };
    chargePoint.plugIn(1);
    await chargePoint.presentIdTag('TAG1', 1);
    await csms.waitFor('StartTransaction');
    await connection.call('UpdateFirmware', {
      location: `${server.url}/fw/2.0.0.bin`,
      retrieveDate: now(),
    });
    await csms.waitFor('FirmwareStatusNotification', 2);
    await settle(100);
    expect(made.statuses()).toEqual(['Downloading', 'Downloaded']);
    expect(chargePoint.status(1)).toBe('Charging');
    expect(chargePoint.status(2)).toBe('Unavailable');
    expect(hardware.installed).toEqual([]);
    await chargePoint.presentIdTag('TAG1', 1);
    chargePoint.unplug(1);
    await csms.waitFor('FirmwareStatusNotification', 4);
    expect(made.statuses()).toEqual(['Downloading', 'Downloaded', 'Installing', 'Installed']);
    expect(hardware.installed).toHaveLength(1);
    await settle();
    expect([chargePoint.status(1), chargePoint.status(2)]).toEqual(['Available', 'Available']);
  });

  test('§4.5: TriggerMessage FirmwareStatusNotification answers Downloading while busy, Idle otherwise', async () => {
    const made = await withFirmware(undefined, { slow: { chunkBytes: 10_000, everyMs: 100 } });
    await made.connection.call('TriggerMessage', {
      requestedMessage: 'FirmwareStatusNotification',
    });
    await made.csms.waitFor('FirmwareStatusNotification', 1);
    expect(made.statuses()).toEqual(['Idle']);
    await made.connection.call('UpdateFirmware', {
      location: `${made.server.url}/fw/2.0.0.bin`,
      retrieveDate: now(),
    });
    await made.csms.waitFor('FirmwareStatusNotification', 2);
    await made.connection.call('TriggerMessage', {
      requestedMessage: 'FirmwareStatusNotification',
    });
    await made.csms.waitFor('FirmwareStatusNotification', 3);
    expect(made.statuses()).toEqual(['Idle', 'Downloading', 'Downloading']);
  });

  test('FirmwareManagement without hardware.installFirmware is refused at construction', () => {
    expect(() =>
      testChargePoint('ws://127.0.0.1:1', { profiles: ['Core', 'FirmwareManagement'] }),
    ).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTIONS',
        message: expect.stringContaining('installFirmware'),
      }),
    );
  });
});
