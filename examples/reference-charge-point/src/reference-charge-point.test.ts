import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, onTestFinished, test } from 'vitest';
import { parseCli, UsageError, usage } from './cli.js';
import { Fleet } from './fleet.js';
import { simulatedFaults } from './session-generator.js';
import { SimulatedHardware } from './simulated-hardware.js';
import { parseStationTemplate, TemplateError } from './station-template.js';

interface Call {
  readonly identity: string;
  readonly method: string;
  readonly params: Record<string, unknown>;
}

/** The ocpp-rpc strict-mode CSMS in its own process; `calls` grows as it answers. */
async function ocppRpcCsms() {
  const child = fork(
    fileURLToPath(new URL('./test-support/ocpp-rpc-csms.cjs', import.meta.url)),
    [],
    {
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const calls: Call[] = [];
  let port = 0;
  const listening = new Promise<void>((resolve) => {
    child.on('message', (message: { type: string; port?: number } & Call) => {
      if (message.type === 'listening') {
        port = message.port ?? 0;
        resolve();
      } else calls.push(message);
    });
  });
  await listening;
  onTestFinished(async () => {
    child.send({ op: 'close' });
    await once(child, 'exit');
  });
  return { url: `ws://127.0.0.1:${port}`, calls };
}

const template = parseStationTemplate({
  vendor: 'ocpp-kit',
  model: 'Test Wallbox',
  firmwareVersion: '1.0.0',
  serialPrefix: 'T-',
  connectors: 2,
  phases: 3,
  voltageV: 230,
  maxCurrentA: 32,
  meterType: 'Simulated',
  measurands: ['Energy.Active.Import.Register', 'Power.Active.Import', 'Current.Import', 'Voltage'],
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ocpp-kit-reference-cp-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('reference charge point', () => {
  test('two simulated charge points run full sessions (§3.6) with faults (§4.9) against ocpp-rpc in strict mode', async () => {
    const csms = await ocppRpcCsms();
    const fleet = new Fleet({
      csms: csms.url,
      identityPrefix: 'REF-',
      count: 2,
      template,
      dataDir: tempDir(),
      securityProfile: 0,
      meterValueSampleInterval: 1,
      sessions: {
        sessions: 1,
        chargeMs: [1_300, 1_600],
        idleMs: [10, 50],
        pauseChance: 0,
        faultChance: 1,
      },
    });
    onTestFinished(() => fleet.stop());
    await fleet.start();
    await fleet.runSessions();
    for (let i = 0; i < 100 && fleet.members.some((m) => m.chargePoint.queuedMessages > 0); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(fleet.progress()).toBe('2/2 accepted, 0 charging, 4 sessions done, 0 queued');
    for (const identity of ['REF-1', 'REF-2']) {
      const of = (method: string) =>
        csms.calls.filter((c) => c.identity === identity && c.method === method);
      expect(of('BootNotification')[0]?.params).toMatchObject({
        chargePointModel: 'Test Wallbox',
        chargePointSerialNumber: `T-${identity.slice(4)}`,
      });
      const starts = of('StartTransaction');
      const stops = of('StopTransaction');
      expect(starts).toHaveLength(2);
      expect(stops).toHaveLength(2);
      expect(of('MeterValues').length).toBeGreaterThan(0);
      // The simulated meter charged: the register rose between the starts and the stops.
      const sum = (calls: Call[], field: string) =>
        calls.reduce((total, c) => total + Number(c.params[field]), 0);
      expect(sum(stops, 'meterStop')).toBeGreaterThan(sum(starts, 'meterStart'));
      expect(of('StatusNotification').map((c) => c.params.status)).toEqual(
        expect.arrayContaining(['Available', 'Preparing', 'Charging', 'Finishing']),
      );
      // §4.9: each session's fault was reported with its code, then cleared (NoError again).
      const codes = of('StatusNotification').map((c) => c.params.errorCode);
      const faults = codes.filter((code) => code !== 'NoError');
      expect(faults).toHaveLength(2);
      expect(faults.every((code) => simulatedFaults.some((f) => f.errorCode === code))).toBe(true);
      expect(codes.at(-1)).toBe('NoError');
    }
  }, 30_000);
});

describe('simulated hardware', () => {
  test('the meter integrates V x A x phases over time, only while energised and drawing', () => {
    let now = 0;
    const hardware = new SimulatedHardware({
      connectors: 1,
      phases: 3,
      voltageV: 230,
      maxCurrentA: 32,
      measurands: [],
      clock: () => now,
    });
    hardware.setOutput(1, { energize: true });
    now = 3_600_000;
    expect(hardware.readMeter(1)).toMatchObject({
      energyWh: 22_080,
      powerW: 22_080,
      currentA: [32, 32, 32],
    });
    hardware.setEvDrawing(1, false);
    now = 7_200_000;
    expect(hardware.readMeter(1)).toMatchObject({ energyWh: 22_080, powerW: 0 });
    hardware.setEvDrawing(1, true);
    hardware.setOutput(1, { energize: true, limit: { unit: 'A', value: 16 } });
    now = 9_000_000;
    expect(hardware.readMeter(1).energyWh).toBe(22_080 + 5_520);
  });
});

describe('command line and templates', () => {
  test('the README lists every option of the usage text', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const line of usage.split('\n').slice(2)) expect(readme).toContain(line.trim());
  });

  test.each([
    [[], '--csms'],
    [['--csms', 'http://x'], '--csms'],
    [['--csms', 'ws://x', '--count', '0'], '--count'],
    [['--csms', 'ws://x', '--security-profile', '1'], '--password'],
    [['--csms', 'ws://x', '--password', 'abc'], '--password'],
    [['--csms', 'ws://x', '--session-seconds', '9-3'], '--session-seconds'],
    [['--csms', 'ws://x', '--bogus'], 'bogus'],
  ])('%j is a UsageError naming %s', (argv, named) => {
    expect(() => parseCli(argv)).toThrow(UsageError);
    expect(() => parseCli(argv)).toThrow(named);
  });

  test('the defaults: one charge point of the bundled template, profile 0, no sessions', () => {
    const { fleet } = parseCli(['--csms', 'ws://127.0.0.1:9220/ocpp']);
    expect(fleet).toMatchObject({
      count: 1,
      identityPrefix: 'SIM-',
      securityProfile: 0,
      template: { connectors: 2, phases: 3 },
    });
    expect(fleet.sessions).toBeUndefined();
  });

  test.each([
    ['phases', { ...template, phases: 2 }],
    ['vendor', { ...template, vendor: 'x'.repeat(21) }],
    ['measurands', { ...template, measurands: ['Energy'] }],
    ['colour', { ...template, colour: 'red' }],
  ])('a template with a bad %s field is a TemplateError naming it', (field, value) => {
    expect(() => parseStationTemplate(value)).toThrow(TemplateError);
    expect(() => parseStationTemplate(value)).toThrow(field);
  });
});
