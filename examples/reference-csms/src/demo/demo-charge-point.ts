// A scripted charge point for the demo, on rpc-core: it applies the configuration the CSMS sets
// and runs one session at full power until the CSMS stops it remotely. (The reference charge
// point, on charge-point-kit, is the one that takes the demo's charging limit.)
import { type KeyValue, ocpp16, type SampledValue } from '@ocpp-kit/messages';
import { createClient, type OcppClient } from '@ocpp-kit/rpc-core';

export interface DemoChargePointOptions {
  readonly url: string;
  readonly identity: string;
  readonly authorizationKey: Uint8Array;
  readonly idTag: string;
  /** The power the car draws. */
  readonly maxPowerW: number;
  /** Safety net: the session ends by itself after this long. */
  readonly maxSessionMs: number;
}

export async function runDemoChargePoint(options: DemoChargePointOptions): Promise<void> {
  const configuration = new Map<string, string>([
    ['HeartbeatInterval', '300'],
    ['MeterValueSampleInterval', '60'],
    ['MeterValuesSampledData', 'Energy.Active.Import.Register'],
    ['NumberOfConnectors', '1'],
  ]);
  let booted: () => void = () => {};
  const accepted = new Promise<void>((resolve) => {
    booted = resolve;
  });
  let transactionId: number | undefined;
  let stopRequested: () => void = () => {};
  const stopped = new Promise<'Remote'>((resolve) => {
    stopRequested = () => resolve('Remote');
  });
  const client: OcppClient<typeof ocpp16> = createClient({
    protocol: ocpp16,
    url: options.url,
    identity: options.identity,
    securityProfile: 1,
    authorizationKey: options.authorizationKey,
    reconnect: false,
  });
  const bootOnce = async () => {
    const { status } = await client.call('BootNotification', {
      chargePointVendor: 'ocpp-kit',
      chargePointModel: 'Demo 11 kW',
      firmwareVersion: '1.0.0',
    });
    if (status === 'Accepted') booted();
  };
  const status = (s: 'Available' | 'Preparing' | 'Charging' | 'Finishing') =>
    client.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: s });
  client.router
    .on('ChangeConfiguration', ({ key, value }) => {
      if (!configuration.has(key)) return { status: 'NotSupported' };
      configuration.set(key, value);
      return { status: 'Accepted' };
    })
    .on('GetConfiguration', ({ key }) => ({
      configurationKey: [...configuration]
        .filter(([name]) => key === undefined || key.includes(name))
        .map(([name, value]): KeyValue => ({ key: name, value, readonly: false })),
    }))
    .on('TriggerMessage', ({ requestedMessage }) => {
      // §5.17: the confirmation first, then the requested message.
      setImmediate(() => {
        if (requestedMessage === 'BootNotification') void bootOnce();
        else if (requestedMessage === 'StatusNotification')
          void status(transactionId === undefined ? 'Available' : 'Charging');
        else if (requestedMessage === 'Heartbeat') void client.call('Heartbeat', {});
      });
      return { status: 'Accepted' };
    })
    .on('RemoteStopTransaction', (request) => {
      if (request.transactionId !== transactionId) return { status: 'Rejected' };
      stopRequested();
      return { status: 'Accepted' };
    });
  await client.connect();
  await bootOnce();
  await accepted;
  await status('Available');
  const { idTagInfo } = await client.call('Authorize', { idTag: options.idTag });
  if (idTagInfo.status !== 'Accepted')
    throw new Error(`${options.identity}: ${options.idTag} was ${idTagInfo.status}`);
  await status('Preparing');
  let energyWh = 0;
  const started = await client.call('StartTransaction', {
    connectorId: 1,
    idTag: options.idTag,
    meterStart: 0,
    timestamp: new Date().toISOString(),
  });
  transactionId = started.transactionId;
  await status('Charging');
  const interval = () => Math.max(1, Number(configuration.get('MeterValueSampleInterval'))) * 1000;
  const deadline = Date.now() + options.maxSessionMs;
  let last = Date.now();
  const sample = async () => {
    const now = Date.now();
    const powerW = options.maxPowerW;
    energyWh += (powerW * (now - last)) / 3_600_000;
    last = now;
    const measurands = (configuration.get('MeterValuesSampledData') ?? '').split(',');
    const sampledValue: SampledValue[] = [];
    if (measurands.includes('Energy.Active.Import.Register')) {
      sampledValue.push({
        value: energyWh.toFixed(1),
        measurand: 'Energy.Active.Import.Register',
        unit: 'Wh',
      });
    }
    if (measurands.includes('Power.Active.Import')) {
      sampledValue.push({ value: powerW.toFixed(0), measurand: 'Power.Active.Import', unit: 'W' });
    }
    await client.call('MeterValues', {
      connectorId: 1,
      transactionId,
      meterValue: [{ timestamp: new Date(now).toISOString(), sampledValue }],
    });
  };
  const reason = await new Promise<'Remote' | 'Local'>((resolve) => {
    const tick = () => {
      if (Date.now() >= deadline) return resolve('Local');
      timer = setTimeout(() => void sample().then(tick, tick), interval());
    };
    let timer = setTimeout(tick, 0);
    void stopped.then((r) => {
      clearTimeout(timer);
      resolve(r);
    });
  });
  await status('Finishing');
  await client.call('StopTransaction', {
    transactionId,
    idTag: options.idTag,
    meterStop: Math.round(energyWh),
    timestamp: new Date().toISOString(),
    reason,
  });
  await status('Available');
  await client.close();
}
