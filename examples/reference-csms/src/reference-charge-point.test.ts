// The reference charge point (charge-point-kit, its own process) against the reference CSMS with
// the platform policy: configured while Pending, accepted, one automatic session per charge point.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, onTestFinished, test } from 'vitest';
import { readPolicyFile } from './policy/policy.js';
import { startTestCsms } from './test-support/test-csms.js';

const referenceChargePoint = fileURLToPath(
  new URL('../../reference-charge-point/src/main.ts', import.meta.url),
);
const platform = readPolicyFile(
  fileURLToPath(new URL('../policies/platform.json', import.meta.url)),
);

test('§4.2 the reference charge point boots Pending, takes the platform configuration, is Accepted and completes a session', async () => {
  const csms = await startTestCsms({
    ...platform,
    listeners: [{ securityProfile: 0, host: '127.0.0.1', port: 0, path: '/ocpp' }],
    http: { host: '127.0.0.1', port: 0 },
  });
  for (const identity of ['SIM-1', 'SIM-2']) {
    await csms.api('POST', '/api/charge-points', { identity, securityProfile: 0 });
    await csms.api('PUT', `/api/id-tags/${identity}-1-0`, { status: 'Accepted' });
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'reference-cp-'));
  onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
  const child = spawn(
    process.execPath,
    [
      '--conditions=@ocpp-kit/source',
      '--import',
      'tsx',
      referenceChargePoint,
      '--csms',
      csms.ocppUrl,
      '--count',
      '2',
      '--connectors',
      '1',
      '--sessions',
      '1',
      '--session-seconds',
      '2-3',
      '--data-dir',
      dataDir,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  onTestFinished(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect(code).toBe(0);
  const { transactions } = (await csms.api('GET', '/api/transactions')).body;
  expect(transactions).toHaveLength(2);
  for (const tx of transactions) {
    expect(tx.stoppedAt).not.toBeNull();
    expect(tx.energyWh).toBeGreaterThan(0);
  }
  const detail = (await csms.api('GET', '/api/charge-points/SIM-1')).body;
  expect(detail.lastBootStatus).toBe('Accepted');
  expect(detail.configuration).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ key: 'MeterValueSampleInterval', value: '60' }),
      expect.objectContaining({
        key: 'MeterValuesSampledData',
        value: 'Energy.Active.Import.Register,Power.Active.Import',
      }),
    ]),
  );
}, 90_000);
