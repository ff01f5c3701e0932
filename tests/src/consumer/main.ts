// The consumer program of published.test.ts: compiled and run inside a project that installed the
// packed tarballs with npm, nothing else. A CSMS and a charge point on 127.0.0.1 exchange a boot,
// a transaction with a charging profile, an operator command and the A02 certificate flow; the
// last line on stdout is a JSON summary the test checks.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateBootNotificationRequest } from '@ocpp-kit/messages';
import {
  type ChargePointStatus,
  createClient,
  createServer,
  ocpp16,
  parseCommand,
  type StartTransactionRequest,
} from '@ocpp-kit/rpc-core';
import { ProfileStore, type SetChargingProfileRequest } from '@ocpp-kit/schedule';
import {
  CertificateStore,
  createCertificateSigningRequest,
  generateAuthorizationKey,
  generateKeyPair,
  issueCertificate,
  signCertificateRequest,
} from '@ocpp-kit/security';
import { ocpp16 as regenerated } from './generated/descriptor.js';

const deadline = setTimeout(() => {
  process.stderr.write('consumer: no result within 30 s\n');
  process.exit(1);
}, 30_000);

const identity = 'CP-CONSUMER';
const cpoName = 'Consumer CPO';
const key = generateAuthorizationKey();
const now = () => new Date().toISOString();

// ---- CSMS (security profile 1: HTTP Basic with the AuthorizationKey) ----
const rootKey = await generateKeyPair();
const rootPem = await issueCertificate({
  profile: 'root',
  subject: { organizationName: cpoName, commonName: 'Consumer CSMS Root' },
  publicKeyPem: rootKey.publicKeyPem,
  selfSigningKeyPem: rootKey.privateKeyPem,
});
const ca = { certificatePem: rootPem, privateKeyPem: rootKey.privateKeyPem };
const statuses: ChargePointStatus[] = [];
let signed: Promise<string> | undefined;

const server = createServer({
  protocol: ocpp16,
  securityProfile: 1,
  authorizationKey: (id) => (id === identity ? key : undefined),
});
server.router
  .on('BootNotification', () => ({ status: 'Accepted', currentTime: now(), interval: 300 }))
  .on('StatusNotification', (request) => {
    statuses.push(request.status);
    return {};
  })
  .on('Authorize', () => ({ idTagInfo: { status: 'Accepted' } }))
  .on('StartTransaction', () => ({ transactionId: 42, idTagInfo: { status: 'Accepted' } }))
  .on('MeterValues', () => ({}))
  .on('StopTransaction', () => ({}))
  .on('SignCertificate', async ({ csr }, { identity: from }) => {
    // A02: answer first, then send the signed chain as a CSMS-initiated CertificateSigned.
    const connection = server.connections.get(from);
    signed = signCertificateRequest({
      csrPem: csr,
      ca,
      cpoName,
      chargePointSerialNumber: from,
    }).then(async ({ certificateChain }) => {
      const reply = await connection?.call('CertificateSigned', { certificateChain });
      return reply?.status ?? 'offline';
    });
    return { status: 'Accepted' };
  });
const { port } = await server.listen({ host: '127.0.0.1', port: 0 });

// ---- charge point ----
const storeDir = await mkdtemp(join(tmpdir(), 'ocpp-kit-consumer-store-'));
const certificates = await CertificateStore.open({ directory: storeDir });
await certificates.install('CentralSystemRootCertificate', rootPem);
const profiles = new ProfileStore({ config: { connectors: 1 }, clock: () => Date.now() });
const client = createClient({
  protocol: ocpp16,
  url: `ws://127.0.0.1:${port}`,
  identity,
  securityProfile: 1,
  authorizationKey: key,
  reconnect: false,
});
client.router
  .on('SetChargingProfile', (request) => ({ status: profiles.install(request).status }))
  .on('GetCompositeSchedule', (request) => profiles.compositeSchedule(request))
  .on('ChangeConfiguration', ({ key: name }) => ({
    status: name === 'MeterValueSampleInterval' ? 'Accepted' : 'NotSupported',
  }))
  .on('CertificateSigned', async ({ certificateChain }) => ({
    status: (
      await certificates.acceptCertificateSigned(certificateChain, {
        cpoName,
        serialNumber: identity,
      })
    ).status,
  }));
await client.connect();

const boot = await client.call('BootNotification', {
  chargePointVendor: 'Consumer',
  chargePointModel: 'Tarball',
});
await client.call('StatusNotification', {
  connectorId: 1,
  errorCode: 'NoError',
  status: 'Available',
});
const authorize = await client.call('Authorize', { idTag: 'TAG-1' });
const start: StartTransactionRequest = {
  connectorId: 1,
  idTag: 'TAG-1',
  meterStart: 1000,
  timestamp: now(),
};
profiles.startTransaction(1, Date.now());
const started = await client.call('StartTransaction', start);
profiles.setTransactionId(1, started.transactionId);
await client.call('StatusNotification', {
  connectorId: 1,
  errorCode: 'NoError',
  status: 'Charging',
});

const connection = server.connections.get(identity);
if (connection === undefined) throw new Error('the CSMS does not see the charge point');
const txProfile: SetChargingProfileRequest = {
  connectorId: 1,
  csChargingProfiles: {
    chargingProfileId: 7,
    transactionId: started.transactionId,
    stackLevel: 0,
    chargingProfilePurpose: 'TxProfile',
    chargingProfileKind: 'Relative',
    chargingSchedule: {
      chargingRateUnit: 'A',
      chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }],
    },
  },
};
const profile = await connection.call('SetChargingProfile', txProfile);
const composite = await connection.call('GetCompositeSchedule', {
  connectorId: 1,
  duration: 3600,
  chargingRateUnit: 'A',
});
// An operator's command arriving as JSON (e.g. over HTTP), checked once, then typed.
const command = parseCommand(
  ocpp16,
  'CentralSystem',
  JSON.parse(
    '{"action":"ChangeConfiguration","payload":{"key":"MeterValueSampleInterval","value":"60"}}',
  ),
);
const configured = await connection.call(command.action, command.payload);

await client.call('MeterValues', {
  connectorId: 1,
  transactionId: started.transactionId,
  meterValue: [
    {
      timestamp: now(),
      sampledValue: [{ value: '1500', measurand: 'Energy.Active.Import.Register' }],
    },
  ],
});
await client.call('StopTransaction', {
  transactionId: started.transactionId,
  meterStop: 2500,
  timestamp: now(),
  reason: 'Local',
});
profiles.endTransaction(1);

// A02: key pair and CSR on the charge point, signed by the CSMS, installed in the store.
const { csrPem, privateKeyPem } = await createCertificateSigningRequest({
  cpoName,
  serialNumber: identity,
});
await certificates.setPendingKey(privateKeyPem);
const signRequest = await client.call('SignCertificate', { csr: csrPem });
const certificateSigned = await (signed ?? Promise.resolve('never requested'));
const credentials = certificates.chargePointCredentials();

const invalidBoot = { chargePointVendor: 'V' };
const summary = {
  boot: boot.status,
  statuses,
  authorize: authorize.idTagInfo.status,
  transactionId: started.transactionId,
  setChargingProfile: profile.status,
  composite: composite.status,
  compositeLimit: composite.chargingSchedule?.chargingSchedulePeriod[0]?.limit,
  changeConfiguration: 'status' in configured ? configured.status : undefined,
  signCertificate: signRequest.status,
  certificateSigned,
  credentialsCommonNames: credentials?.certificate.commonNames,
  regeneratedActions: regenerated.actions.size,
  regeneratedAgrees:
    JSON.stringify(regenerated.actions.get('BootNotification')?.validateRequest(invalidBoot)) ===
    JSON.stringify(validateBootNotificationRequest(invalidBoot)),
};

await client.close();
await server.close();
await rm(storeDir, { recursive: true, force: true });
clearTimeout(deadline);
process.stdout.write(`${JSON.stringify(summary)}\n`);
