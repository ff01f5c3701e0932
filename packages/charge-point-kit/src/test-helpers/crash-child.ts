// The charge point of the crash test (crash.test.ts), run as a child process and SIGKILLed at
// random moments. It charges in a loop and prints what became durable: `started <idTag>` and
// `stopped <idTag>` after the kit stored them. With CRASH_DRAIN set it only delivers what is
// queued, prints `drained` and exits.
import type { MeterReading } from '../core/hardware.js';
import { ChargePoint } from '../index.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};
const t0 = Number(env('CRASH_T0'));
const say = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// A meter register that survives the kill, as a real one does: energy follows the wall clock.
const reading = (): MeterReading => ({ energyWh: Math.floor((Date.now() - t0) / 5) });

const chargePoint = new ChargePoint({
  identity: env('CRASH_IDENTITY'),
  csms: env('CRASH_URL'),
  boot: { chargePointVendor: 'ocpp-kit', chargePointModel: 'Crash test' },
  connectors: 1,
  hardware: {
    measurands: ['Energy.Active.Import.Register'],
    readMeter: reading,
    setOutput: () => {},
    unlock: () => 'Unlocked',
    reboot: () => {},
  },
  storage: { directory: env('CRASH_DIR') },
  reconnect: { initialDelayMs: 30, maxDelayMs: 300, jitter: 0.3 },
  configuration: {
    values: {
      MeterValueSampleInterval: 1,
      ClockAlignedDataInterval: 1,
      MeterValuesSampledData: ['Energy.Active.Import.Register'],
      MeterValuesAlignedData: ['Energy.Active.Import.Register'],
      AllowOfflineTxForUnknownId: true,
      LocalAuthorizeOffline: true,
      LocalPreAuthorize: true,
      ConnectionTimeOut: 0,
      MessageTimeout: 2,
      TransactionMessageRetryInterval: 0,
      HeartbeatInterval: 3600,
    },
  },
});
chargePoint.on('transactionStarted', ({ idTag }) => say(`started ${idTag}`));
chargePoint.on('transactionStopped', ({ reason }) => say(`stopped ${reason}`));
chargePoint.on('error', ({ error }) => say(`error ${error.message}`));

await chargePoint.start();
say('ready');
if (process.env.CRASH_DRAIN !== undefined) {
  while (chargePoint.registration !== 'Accepted' || chargePoint.queuedMessages > 0) await sleep(20);
  say('drained');
  await chargePoint.stop();
  process.exit(0);
}
for (let n = 0; ; n++) {
  const idTag = `${process.pid.toString(36)}-${n}`.slice(0, 20);
  chargePoint.plugIn(1);
  await chargePoint.presentIdTag(idTag, 1);
  await sleep(50 + Math.random() * 900);
  await chargePoint.presentIdTag(idTag, 1);
  chargePoint.unplug(1);
  await sleep(10 + Math.random() * 40);
}
