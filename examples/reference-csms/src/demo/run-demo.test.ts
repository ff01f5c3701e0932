import { expect, test } from 'vitest';
import { runDemo } from './run-demo.js';

test('the README demo (two scripted charge points and the reference charge point): boot (Pending, configured, Accepted), authorize, start, meter values, a §3.13 charging limit on the reference charge point visible in its readings, remote stop, configuration read back, a certificate signed and a firmware update on the reference charge point; no errors', async () => {
  const lines: string[] = [];
  const summary = await runDemo({ write: (line) => lines.push(line), sourceConditions: true });
  expect(summary).toMatchObject({
    chargePoints: 3,
    transactions: 3,
    errors: 0,
    limitVisible: true,
  });
  expect(summary.energyWh).toBeGreaterThan(0);
  expect(summary.callsFromChargePoints).toBeGreaterThan(10);
  const text = lines.join('');
  for (const step of [
    'BootNotification -> Pending',
    'ChangeConfiguration MeterValueSampleInterval -> Accepted',
    'BootNotification -> Accepted',
    'Authorize DEMO-TAG-1 -> Accepted',
    'StartTransaction DEMO-TAG-1 -> transaction',
    'REF-1 SetChargingProfile -> Accepted',
    "limit visible in REF-1's meter values",
    'RemoteStopTransaction -> Accepted',
    'StopTransaction',
    'configuration read back: ',
    'REF-1 BootNotification -> Accepted',
    'REF-1 completed its session',
    'REF-1 InstallCertificate -> Accepted',
    'REF-1 ExtendedTriggerMessage SignChargePointCertificate -> Accepted',
    'CertificateSigned -> Accepted',
    'REF-1 FirmwareStatusNotification Downloading, Downloaded, Installing, Installed',
    'REF-1 stopped',
    'Summary: 3 charge points, 3 transactions',
  ]) {
    expect(text).toContain(step);
  }
}, 60_000);
