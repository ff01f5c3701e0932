// The charge point of the file-jobs crash test (crash-jobs.test.ts), SIGKILLed at random
// moments while it downloads and installs firmware, installs certificates and records critical
// security events. It prints what became durable: `event <n>` once a security event is stored,
// `installed <sha256>` once the adapter took an image, `problems <n>` at start (unreadable
// certificate store entries). With CRASH_DRAIN set it waits until every critical event was
// confirmed, prints `drained` and exits.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ChargePoint } from '../index.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};
const say = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const chargePoint = new ChargePoint({
  identity: env('CRASH_IDENTITY'),
  csms: env('CRASH_URL'),
  boot: { chargePointVendor: 'ocpp-kit', chargePointModel: 'Crash test', firmwareVersion: '1' },
  connectors: 1,
  hardware: {
    measurands: ['Energy.Active.Import.Register'],
    readMeter: () => ({ energyWh: 0 }),
    setOutput: () => {},
    reboot: () => {},
    installFirmware: async (file) => {
      const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
      await sleep(Math.random() * 200);
      say(`installed ${sha}`);
      return { reboot: false };
    },
  },
  storage: { directory: env('CRASH_DIR') },
  reconnect: { initialDelayMs: 30, maxDelayMs: 300, jitter: 0.3 },
  fileTransfer: { retryIntervalSeconds: 0, idleTimeoutSeconds: 5 },
  configuration: { values: { MessageTimeout: 2, HeartbeatInterval: 3600 } },
});
chargePoint.on('error', ({ error }) => say(`error ${error.message}`));

await chargePoint.start();
say('ready');
if (process.env.CRASH_DRAIN !== undefined) {
  // The CSMS says `drained` by DataTransfer once it has every event the test expects.
  for (;;) {
    await sleep(50);
    if (chargePoint.registration !== 'Accepted') continue;
    const answer = await chargePoint
      .dataTransfer({ vendorId: 'crash', messageId: 'drained?' })
      .catch(() => undefined);
    if (answer?.status === 'Accepted') break;
  }
  say('drained');
  await chargePoint.stop();
  process.exit(0);
}
for (let n = Number(env('CRASH_EVENT_BASE')); ; n++) {
  await chargePoint.securityEvent('TamperDetectionActivated', `n-${n}`);
  say(`event ${n}`);
  await sleep(20 + Math.random() * 80);
}
