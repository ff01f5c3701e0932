// The whole system in one process tree: the reference CSMS here, the charge points in a child
// process; the operator side talks to the real HTTP API. Plays boot, authorize, start, meter
// values, a charging limit visible in the readings, remote stop, the configuration read back,
// and on the reference charge point a certificate signed by the CSMS and a firmware update.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChargePointRequestEvent } from '@ocpp-kit/csms-kit';
import { startReferenceCsms } from '../csms/reference-csms.js';
import { defaultPolicy } from '../policy/policy.js';
import { Timeline } from './timeline.js';

export interface DemoOptions {
  readonly write: (line: string) => void;
  /** Run the child on the packages' sources (tests) instead of their builds. */
  readonly sourceConditions?: boolean;
  readonly chargePoints?: number;
}

export interface DemoSummary {
  readonly chargePoints: number;
  readonly transactions: number;
  readonly energyWh: number;
  readonly callsFromChargePoints: number;
  readonly callsToChargePoints: number;
  readonly errors: number;
  /** Power readings after the limit, all at or under it. */
  readonly limitVisible: boolean;
}

const keyHex = '0123456789ABCDEF0123456789ABCDEF01234567';
const apiKey = 'demo-operator-key';
const idTag = 'DEMO-TAG-1';
const limitW = 3_680;

const kw = (w: number) => `${(w / 1000).toFixed(1)} kW`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const referenceIdentity = 'REF-1';
/** Run as a program (never imported: examples do not import each other). */
const referenceChargePoint = fileURLToPath(
  new URL('../../../reference-charge-point/src/main.ts', import.meta.url),
);

export async function runDemo(options: DemoOptions): Promise<DemoSummary> {
  const t = new Timeline(options.write);
  const count = options.chargePoints ?? 2;
  const identities = Array.from({ length: count }, (_, i) => `DEMO-${i + 1}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'ocpp-kit-demo-'));
  let errors = 0;
  const csms = await startReferenceCsms({
    dataDir,
    apiKey,
    policy: {
      ...defaultPolicy,
      listeners: [{ securityProfile: 1, host: '127.0.0.1', port: 0, path: '/ocpp' }],
      http: { host: '127.0.0.1', port: 0 },
      files: { host: '127.0.0.1', port: 0 },
      cpoName: 'Demo CPO',
      configuration: {
        MeterValuesSampledData: 'Energy.Active.Import.Register,Power.Active.Import',
        MeterValueSampleInterval: '1',
      },
    },
    logger: {
      debug: () => {},
      info: (event, fields = {}) => {
        if (event === 'provision.configuration') {
          t.step(
            'CSMS',
            `${fields.identity} ChangeConfiguration ${fields.key} -> ${fields.status}`,
          );
        }
      },
      warn: (event, fields = {}) => {
        errors += 1;
        t.step('CSMS', `warning ${event} ${JSON.stringify(fields)}`);
      },
      error: (event, fields = {}) => {
        errors += 1;
        t.step('CSMS', `error ${event} ${JSON.stringify(fields)}`);
      },
    },
  });
  const port = csms.ocppAddresses[0]?.port;
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`http://127.0.0.1:${csms.httpPort}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await response.json()) as Record<string, unknown>;
    if (!response.ok) {
      errors += 1;
      t.step('API', `${method} ${path} -> ${response.status} ${JSON.stringify(json)}`);
    }
    return json;
  };
  t.step(
    'CSMS',
    `reference CSMS: OCPP ws://127.0.0.1:${port}/ocpp (security profile 1), API http://127.0.0.1:${csms.httpPort}, SQLite in ${dataDir}`,
  );

  const command = async (action: string, payload: unknown): Promise<string | undefined> => {
    const sent = (await api('POST', `/api/commands/${action}`, {
      chargePoints: [referenceIdentity],
      payload,
    })) as { results?: { status: string; response?: { status?: string } }[] };
    const result = sent.results?.[0];
    return result?.response?.status ?? result?.status;
  };
  const jobStatuses = async () =>
    ((await api('GET', `/api/jobs?chargePoint=${referenceIdentity}`)).jobs as { status: string }[])
      .map((job) => job.status)
      .reverse();

  /** Whitepaper A02: the CSMS root on the charge point, then a CSR the CSMS signs. */
  const referenceCertificate = async () => {
    const root = readFileSync(join(dataDir, 'ca', 'root.pem'), 'utf8');
    t.step('API', `${referenceIdentity} CpoName and CentralSystemRootCertificate`);
    await command('ChangeConfiguration', { key: 'CpoName', value: 'Demo CPO' });
    const installed = await command('InstallCertificate', {
      certificateType: 'CentralSystemRootCertificate',
      certificate: root,
    });
    t.step('CSMS', `${referenceIdentity} InstallCertificate -> ${installed}`);
    const triggered = await command('ExtendedTriggerMessage', {
      requestedMessage: 'SignChargePointCertificate',
    });
    t.step(
      'CSMS',
      `${referenceIdentity} ExtendedTriggerMessage SignChargePointCertificate -> ${triggered}`,
    );
    await waitFor(
      async () =>
        (
          ((await api('GET', `/api/charge-points/${referenceIdentity}`)).certificates ?? []) as {
            status: string;
          }[]
        ).some((c) => c.status === 'Accepted'),
      10_000,
      'the signed certificate',
    );
    t.step(
      'CSMS',
      `${referenceIdentity} SignCertificate signed by the CSMS CA, CertificateSigned -> Accepted`,
    );
  };

  /** §5.19: an image the CSMS serves, downloaded, installed, reported step by step. */
  const referenceFirmware = async () => {
    mkdirSync(join(dataDir, 'firmware'), { recursive: true });
    writeFileSync(join(dataDir, 'firmware', 'wallbox-2.0.bin'), randomBytes(256 * 1024));
    t.step('API', `POST /api/commands/UpdateFirmware ${referenceIdentity} wallbox-2.0.bin`);
    await command('UpdateFirmware', {
      location: `http://127.0.0.1:${csms.filesPort}/firmware/wallbox-2.0.bin`,
      retrieveDate: new Date().toISOString(),
    });
    await waitFor(async () => (await jobStatuses()).includes('Installed'), 15_000, 'the firmware');
    t.step(
      'CP',
      `${referenceIdentity} FirmwareStatusNotification ${(await jobStatuses()).join(', ')}`,
    );
  };

  const powerAfterLimit: number[] = [];
  let limitSetAt: number | undefined;
  const meterCounts = new Map<number, number>();
  const seenRequests: ChargePointRequestEvent<unknown>[] = [];
  let callsIn = 0;
  let callsOut = 0;
  csms.csms.on('disconnect', ({ session }) => {
    callsIn += session.stats.received;
    callsOut += session.stats.sent;
    errors += session.stats.failed + session.stats.refused;
  });
  csms.csms.on('boot', ({ session, status }) =>
    t.step('CP', `${session.identity} BootNotification -> ${status}`),
  );
  csms.csms.on('request', (event) => {
    seenRequests.push(event);
    const who = event.session.identity;
    switch (event.action) {
      case 'StatusNotification':
        t.step(
          'CP',
          `${who} StatusNotification connector ${event.request.connectorId} ${event.request.status}`,
        );
        break;
      case 'Authorize':
        t.step(
          'CP',
          `${who} Authorize ${event.request.idTag} -> ${event.response.idTagInfo.status}`,
        );
        break;
      case 'StartTransaction':
        t.step(
          'CP',
          `${who} StartTransaction ${event.request.idTag} -> transaction ${event.response.transactionId}`,
        );
        break;
      case 'StopTransaction':
        t.step(
          'CP',
          `${who} StopTransaction ${event.request.transactionId} (${event.request.reason}), ${(event.request.meterStop / 1000).toFixed(3)} kWh`,
        );
        break;
      case 'MeterValues': {
        const values = event.request.meterValue.flatMap((m) => m.sampledValue);
        const power = Number(
          values.find((v) => v.measurand === 'Power.Active.Import')?.value ?? Number.NaN,
        );
        const energy = Number(
          values.find((v) => v.measurand === 'Energy.Active.Import.Register')?.value ?? 0,
        );
        const tx = event.request.transactionId ?? 0;
        meterCounts.set(tx, (meterCounts.get(tx) ?? 0) + 1);
        if (limitSetAt !== undefined && who === referenceIdentity) powerAfterLimit.push(power);
        t.step('CP', `${who} MeterValues ${kw(power)}, ${(energy / 1000).toFixed(3)} kWh`);
        break;
      }
      default:
        break;
    }
  });

  t.step(
    'API',
    `POST /api/charge-points ${identities.join(', ')} (security profile 1, AuthorizationKey)`,
  );
  for (const identity of identities) {
    await api('POST', '/api/charge-points', {
      identity,
      securityProfile: 1,
      authorizationKey: keyHex,
    });
  }
  t.step('API', `PUT /api/id-tags/${idTag} Accepted`);
  await api('PUT', `/api/id-tags/${idTag}`, { status: 'Accepted' });
  // The reference charge point (charge-point-kit) runs one automatic session beside them; its
  // session generator presents <identity>-<connector>-<n>.
  t.step(
    'API',
    `POST /api/charge-points ${referenceIdentity}, PUT /api/id-tags/${referenceIdentity}-1-0`,
  );
  await api('POST', '/api/charge-points', {
    identity: referenceIdentity,
    securityProfile: 1,
    authorizationKey: keyHex,
    // A00.FR.405: its certificate's CN is its serial number (the template's RW22- plus 1).
    certificateCommonName: 'RW22-1',
  });
  await api('PUT', `/api/id-tags/${referenceIdentity}-1-0`, { status: 'Accepted' });

  const child = spawn(
    process.execPath,
    [
      ...(options.sourceConditions === true ? ['--conditions=@ocpp-kit/source'] : []),
      '--import',
      'tsx',
      fileURLToPath(new URL('./charge-points-process.ts', import.meta.url)),
    ],
    {
      env: {
        ...process.env,
        DEMO_CHARGE_POINTS: JSON.stringify({
          url: `ws://127.0.0.1:${port}/ocpp`,
          identities,
          keyHex,
          idTag,
        }),
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  t.step('DEMO', `${count} charge points started in process ${child.pid}`);
  const reference = spawn(
    process.execPath,
    [
      ...(options.sourceConditions === true ? ['--conditions=@ocpp-kit/source'] : []),
      '--import',
      'tsx',
      referenceChargePoint,
      ...['--csms', `ws://127.0.0.1:${port}/ocpp`, '--identity', 'REF-', '--count', '1'],
      ...['--connectors', '1', '--sessions', '1', '--session-seconds', '9-10'],
      ...['--idle-seconds', '0-1', '--keep-running'],
      ...['--security-profile', '1', '--password', keyHex, '--data-dir', join(dataDir, 'ref-cp')],
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const referenceExited = new Promise<number | null>((resolve) =>
    reference.on('exit', (code) => resolve(code)),
  );
  t.step(
    'DEMO',
    `the reference charge point ${referenceIdentity} started in process ${reference.pid}`,
  );
  try {
    const activeTransactions = async () =>
      ((await api('GET', '/api/transactions?active=true')).transactions as {
        transactionId: number;
        chargePoint: string;
      }[]) ?? [];
    await waitFor(
      async () => {
        const active = await activeTransactions();
        return identities.every((id) => active.some((tx) => tx.chargePoint === id));
      },
      20_000,
      'every charge point charging',
    );
    // The charging limit goes to the reference charge point: charge-point-kit's smart charging
    // applies it to the simulated hardware, and its meter values show the power under it.
    let referenceTx: { transactionId: number } | undefined;
    await waitFor(
      async () => {
        referenceTx = (await activeTransactions()).find(
          (tx) => tx.chargePoint === referenceIdentity,
        );
        return referenceTx !== undefined && (meterCounts.get(referenceTx.transactionId) ?? 0) >= 2;
      },
      20_000,
      `${referenceIdentity} charging with two meter values`,
    );
    const transactionId = referenceTx?.transactionId;
    t.step(
      'API',
      `POST /api/charge-points/${referenceIdentity}/charging-limit TxProfile ${kw(limitW)} for transaction ${transactionId}`,
    );
    const limited = (await api('POST', `/api/charge-points/${referenceIdentity}/charging-limit`, {
      purpose: 'TxProfile',
      connectorId: 1,
      transactionId,
      limit: limitW,
      unit: 'W',
    })) as { outcome?: { status: string; response?: { status: string } } };
    t.step(
      'CSMS',
      `${referenceIdentity} SetChargingProfile -> ${limited.outcome?.response?.status ?? limited.outcome?.status}`,
    );
    limitSetAt = Date.now();
    await waitFor(async () => powerAfterLimit.length >= 3, 10_000, 'meter values under the limit');
    t.step(
      'DEMO',
      `limit visible in ${referenceIdentity}'s meter values: ${powerAfterLimit.map(kw).join(', ')}`,
    );
    const active = (await activeTransactions()).filter((tx) => identities.includes(tx.chargePoint));
    for (const tx of active) {
      t.step(
        'API',
        `POST /api/commands/RemoteStopTransaction ${tx.chargePoint} transaction ${tx.transactionId}`,
      );
      const stop = (await api('POST', '/api/commands/RemoteStopTransaction', {
        chargePoints: [tx.chargePoint],
        payload: { transactionId: tx.transactionId },
      })) as { results: { status: string; response?: { status: string } }[] };
      t.step(
        'CSMS',
        `${tx.chargePoint} RemoteStopTransaction -> ${stop.results[0]?.response?.status ?? stop.results[0]?.status}`,
      );
    }
    await waitFor(
      async () => !(await activeTransactions()).some((tx) => identities.includes(tx.chargePoint)),
      10_000,
      'every remote stop',
    );
    const detail = (await api('GET', '/api/charge-points/DEMO-1')) as {
      configuration: { key: string; value: string }[];
    };
    t.step(
      'API',
      `GET /api/charge-points/DEMO-1 configuration read back: ${detail.configuration.map((c) => `${c.key}=${c.value}`).join(', ')}`,
    );
    const code = await exited;
    if (code !== 0) {
      errors += 1;
      t.step('DEMO', `the charge point process exited with ${code}`);
    }
    await waitFor(
      async () =>
        (
          (await api('GET', `/api/transactions?chargePoint=${referenceIdentity}`)).transactions as {
            stoppedAt: string | null;
          }[]
        ).every((tx) => tx.stoppedAt !== null),
      20_000,
      `${referenceIdentity}'s session`,
    );
    t.step('DEMO', `${referenceIdentity} completed its session`);
    await referenceCertificate();
    await referenceFirmware();
    reference.kill('SIGTERM');
    const referenceCode = await Promise.race([
      referenceExited,
      sleep(10_000).then(() => 'timeout'),
    ]);
    if (referenceCode === 0) t.step('DEMO', `${referenceIdentity} stopped`);
    else {
      errors += 1;
      t.step('DEMO', `the reference charge point ended with ${referenceCode}`);
    }
  } finally {
    child.kill('SIGKILL');
    reference.kill('SIGKILL');
  }
  const chargePoints = ((await api('GET', '/api/charge-points')).chargePoints as unknown[]).length;
  const transactions = (await api('GET', '/api/transactions')).transactions as {
    energyWh: number;
  }[];
  await csms.close();
  rmSync(dataDir, { recursive: true, force: true });
  const summary: DemoSummary = {
    chargePoints,
    transactions: transactions.length,
    energyWh: transactions.reduce((sum, tx) => sum + tx.energyWh, 0),
    callsFromChargePoints: callsIn,
    callsToChargePoints: callsOut,
    errors,
    limitVisible: powerAfterLimit.length >= 2 && powerAfterLimit.slice(1).every((p) => p <= limitW),
  };
  t.line();
  t.line(
    `Summary: ${summary.chargePoints} charge points, ${summary.transactions} transactions, ${(summary.energyWh / 1000).toFixed(3)} kWh, ${summary.callsFromChargePoints} calls from charge points, ${summary.callsToChargePoints} calls to them, ${summary.errors} errors; limit visible: ${summary.limitVisible ? 'yes' : 'no'}`,
  );
  return summary;
}

async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
