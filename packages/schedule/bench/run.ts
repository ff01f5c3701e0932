// Composite-schedule benchmark: median microseconds per GetCompositeSchedule with the reference
// charger's maxima filled (10 profiles, stack levels 0..8, 24 periods each, mixed kinds).
import type { ChargingProfile, ChargingSchedulePeriod } from '@ocpp-kit/messages';
import { ProfileStore } from '@ocpp-kit/schedule';

const NOW = Date.parse('2024-06-12T09:17:00Z');
const DAY = 86_400;

function periods(step: number, base: number, unitW: boolean): ChargingSchedulePeriod[] {
  return Array.from({ length: 24 }, (_, i) => ({
    startPeriod: i * step,
    limit: unitW ? (base + ((i * 7) % 11)) * 690 : base + ((i * 7) % 11),
    ...(i % 3 === 0 ? { numberPhases: 1 + (i % 3) } : {}),
  }));
}

interface Spec {
  connectorId: number;
  purpose: ChargingProfile['chargingProfilePurpose'];
  kind: ChargingProfile['chargingProfileKind'];
  stackLevel: number;
  step: number;
  duration?: number;
  watts?: boolean;
  recurrency?: 'Daily' | 'Weekly';
  startOffset?: number;
}

function make(id: number, s: Spec): { connectorId: number; profile: ChargingProfile } {
  const schedule: ChargingProfile['chargingSchedule'] = {
    chargingRateUnit: s.watts === true ? 'W' : 'A',
    chargingSchedulePeriod: periods(s.step, 6 + id, s.watts === true),
    ...(s.duration === undefined ? {} : { duration: s.duration }),
  };
  if (s.kind !== 'Relative') {
    schedule.startSchedule = new Date(NOW + (s.startOffset ?? -3 * 3600) * 1000).toISOString();
  }
  const profile: ChargingProfile = {
    chargingProfileId: id,
    stackLevel: s.stackLevel,
    chargingProfilePurpose: s.purpose,
    chargingProfileKind: s.kind,
    chargingSchedule: schedule,
    ...(s.kind === 'Recurring' ? { recurrencyKind: s.recurrency ?? 'Daily' } : {}),
  };
  return { connectorId: s.connectorId, profile };
}

// Ten profiles touching one connector: every purpose, every kind, stack levels 0..8, fallbacks.
const oneConnector: Spec[] = [
  {
    connectorId: 0,
    purpose: 'ChargePointMaxProfile',
    kind: 'Recurring',
    stackLevel: 0,
    step: 3600,
    recurrency: 'Daily',
    startOffset: -40 * DAY,
  },
  {
    connectorId: 0,
    purpose: 'ChargePointMaxProfile',
    kind: 'Absolute',
    stackLevel: 1,
    step: 1800,
    duration: 36_000,
  },
  {
    connectorId: 0,
    purpose: 'TxDefaultProfile',
    kind: 'Recurring',
    stackLevel: 0,
    step: 7 * 3600,
    recurrency: 'Weekly',
    watts: true,
    startOffset: -9 * DAY,
  },
  {
    connectorId: 0,
    purpose: 'TxDefaultProfile',
    kind: 'Relative',
    stackLevel: 1,
    step: 900,
    duration: 20_000,
  },
  {
    connectorId: 1,
    purpose: 'TxDefaultProfile',
    kind: 'Recurring',
    stackLevel: 2,
    step: 1200,
    duration: 28_000,
    recurrency: 'Daily',
    startOffset: 5 * DAY,
  },
  {
    connectorId: 1,
    purpose: 'TxDefaultProfile',
    kind: 'Absolute',
    stackLevel: 3,
    step: 2400,
    duration: 50_000,
    watts: true,
  },
  {
    connectorId: 1,
    purpose: 'TxDefaultProfile',
    kind: 'Recurring',
    stackLevel: 4,
    step: 600,
    duration: 14_000,
    recurrency: 'Daily',
    startOffset: -2 * DAY + 7200,
  },
  {
    connectorId: 1,
    purpose: 'TxDefaultProfile',
    kind: 'Relative',
    stackLevel: 5,
    step: 300,
    duration: 7000,
  },
  {
    connectorId: 1,
    purpose: 'TxProfile',
    kind: 'Relative',
    stackLevel: 6,
    step: 450,
    duration: 10_000,
    watts: true,
  },
  {
    connectorId: 1,
    purpose: 'TxProfile',
    kind: 'Recurring',
    stackLevel: 8,
    step: 150,
    duration: 3600,
    recurrency: 'Daily',
    startOffset: -DAY + 5400,
  },
];

function filledStore(connectors: number, specs: Spec[]): ProfileStore {
  const store = new ProfileStore({ config: { connectors }, clock: () => NOW });
  for (let c = 1; c <= connectors; c++) store.startTransaction(c, NOW - 1200_000 * c, c);
  specs.forEach((spec, i) => {
    const { connectorId, profile } = make(i + 1, spec);
    const result = store.install({ connectorId, csChargingProfiles: profile });
    if (result.status !== 'Accepted')
      throw new Error(`bench setup: profile ${i + 1} ${result.reason}`);
  });
  return store;
}

// Eight connectors: the same ten profiles spread over connectors 1..8 and connector 0.
const eightConnectors: Spec[] = oneConnector.map((s, i) =>
  s.connectorId === 0 ? s : { ...s, connectorId: 1 + ((i * 3) % 8), stackLevel: s.stackLevel },
);

function medianMicros(fn: () => unknown, batch: number, samples: number): number {
  for (let i = 0; i < batch * 5; i++) fn();
  const results: number[] = [];
  for (let s = 0; s < samples; s++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) fn();
    results.push(Number(process.hrtime.bigint() - start) / 1000 / batch);
  }
  results.sort((a, b) => a - b);
  return results[Math.floor(samples / 2)] as number;
}

const one = filledStore(1, oneConnector);
const eight = filledStore(8, eightConnectors);
const cases = [
  {
    name: 'connector 1, 24 h',
    target: 50,
    run: () => one.compositeSchedule({ connectorId: 1, duration: DAY, chargingRateUnit: 'A' }),
    batch: 500,
  },
  {
    name: 'connector 1, 7 days',
    target: 500,
    run: () => one.compositeSchedule({ connectorId: 1, duration: 7 * DAY, chargingRateUnit: 'A' }),
    batch: 100,
  },
  {
    name: 'connector 0 of 8, 24 h',
    target: undefined,
    run: () => eight.compositeSchedule({ connectorId: 0, duration: DAY, chargingRateUnit: 'W' }),
    batch: 200,
  },
];

const rows = cases.map((c) => {
  const conf = c.run();
  const periodsOut = conf.chargingSchedule?.chargingSchedulePeriod.length ?? 0;
  const micros = medianMicros(c.run, c.batch, 31);
  return { case: c.name, periods: periodsOut, median: micros, target: c.target };
});

console.log(
  '@ocpp-kit/schedule composite schedule (10 profiles, stack levels 0..8, 24 periods each)',
);
console.log('case                      periods  median µs/call  target µs');
for (const r of rows) {
  const target =
    r.target === undefined ? '(none)' : `< ${r.target}${r.median < r.target ? '  ok' : '  MISSED'}`;
  console.log(
    `${r.case.padEnd(26)}${String(r.periods).padStart(7)}  ${r.median.toFixed(1).padStart(14)}  ${target}`,
  );
}
