// Valid payloads for every action, typed by the generated types so they also prove the types
// accept what the schemas accept. Each list starts with a payload using every optional field.
import type {
  ActionName,
  CertificateHashData,
  ChargingProfile,
  ChargingSchedule,
  IdTagInfo,
  RequestOf,
  ResponseOf,
  SampledValue,
} from '../index.js';

type Fixtures = {
  readonly [A in ActionName]: { request: RequestOf<A>[]; response: ResponseOf<A>[] };
};

const t = '2025-03-01T10:15:00Z';
const idTagInfo: IdTagInfo = {
  expiryDate: '2025-12-31T23:59:59.999+01:00',
  parentIdTag: 'PARENT-1',
  status: 'Accepted',
};
const hashData: CertificateHashData = {
  hashAlgorithm: 'SHA256',
  issuerNameHash: 'a'.repeat(64),
  issuerKeyHash: 'b'.repeat(64),
  serialNumber: '0123456789abcdef',
};
const sampledValue: SampledValue = {
  value: '1234.5',
  context: 'Sample.Periodic',
  format: 'Raw',
  measurand: 'Energy.Active.Import.Register',
  phase: 'L1-N',
  location: 'Outlet',
  unit: 'kWh',
};
const chargingSchedule: ChargingSchedule = {
  duration: 3600,
  startSchedule: t,
  chargingRateUnit: 'W',
  chargingSchedulePeriod: [
    { startPeriod: 0, limit: 11000.0, numberPhases: 3 },
    { startPeriod: 1800, limit: 8.7 },
  ],
  minChargingRate: 1380.5,
};
const chargingProfile: ChargingProfile = {
  chargingProfileId: 1,
  transactionId: 42,
  stackLevel: 0,
  chargingProfilePurpose: 'TxProfile',
  chargingProfileKind: 'Recurring',
  recurrencyKind: 'Daily',
  validFrom: t,
  validTo: '2026-03-01T10:15:00Z',
  chargingSchedule,
};

export const validPayloads: Fixtures = {
  Authorize: {
    request: [{ idTag: 'TAG-0001' }, { idTag: 'x'.repeat(20) }],
    response: [{ idTagInfo }, { idTagInfo: { status: 'ConcurrentTx' } }],
  },
  BootNotification: {
    request: [
      {
        chargePointVendor: 'VendorX',
        chargePointModel: 'Wallbox-22',
        chargePointSerialNumber: 'CP-0001',
        chargeBoxSerialNumber: 'CB-0001',
        firmwareVersion: '1.2.3',
        iccid: '8931440000000000001',
        imsi: '204040000000001',
        meterType: 'Eastron SDM630',
        meterSerialNumber: 'M-0001',
      },
      { chargePointVendor: 'V', chargePointModel: 'M' },
    ],
    response: [
      { status: 'Accepted', currentTime: t, interval: 300 },
      { status: 'Pending', currentTime: '2025-03-01T12:15:00.123+02:00', interval: 0 },
    ],
  },
  CancelReservation: { request: [{ reservationId: 9 }], response: [{ status: 'Rejected' }] },
  CertificateSigned: {
    request: [
      { certificateChain: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' },
    ],
    response: [{ status: 'Accepted' }],
  },
  ChangeAvailability: {
    request: [{ connectorId: 0, type: 'Inoperative' }],
    response: [{ status: 'Scheduled' }],
  },
  ChangeConfiguration: {
    request: [{ key: 'HeartbeatInterval', value: '300' }],
    response: [{ status: 'RebootRequired' }],
  },
  ClearCache: { request: [{}], response: [{ status: 'Accepted' }] },
  ClearChargingProfile: {
    request: [
      { id: 1, connectorId: 1, chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 0 },
      {},
    ],
    response: [{ status: 'Unknown' }],
  },
  DataTransfer: {
    request: [
      { vendorId: 'com.example', messageId: 'Ping', data: '{"a":1}' },
      { vendorId: 'com.example' },
    ],
    response: [{ status: 'Accepted', data: 'pong' }, { status: 'UnknownVendorId' }],
  },
  DeleteCertificate: {
    request: [{ certificateHashData: hashData }],
    response: [{ status: 'NotFound' }],
  },
  DiagnosticsStatusNotification: { request: [{ status: 'Uploaded' }], response: [{}] },
  ExtendedTriggerMessage: {
    request: [
      { requestedMessage: 'SignChargePointCertificate', connectorId: 0 },
      { requestedMessage: 'LogStatusNotification' },
    ],
    response: [{ status: 'NotImplemented' }],
  },
  FirmwareStatusNotification: { request: [{ status: 'InstallationFailed' }], response: [{}] },
  GetCompositeSchedule: {
    request: [
      { connectorId: 1, duration: 86400, chargingRateUnit: 'A' },
      { connectorId: 0, duration: 60 },
    ],
    response: [
      { status: 'Accepted', connectorId: 1, scheduleStart: t, chargingSchedule },
      { status: 'Rejected' },
    ],
  },
  GetConfiguration: {
    request: [{ key: ['HeartbeatInterval', 'MeterValueSampleInterval'] }, {}],
    response: [
      {
        configurationKey: [
          { key: 'HeartbeatInterval', readonly: false, value: '300' },
          { key: 'NumberOfConnectors', readonly: true },
        ],
        unknownKey: ['Foo'],
      },
      {},
    ],
  },
  GetDiagnostics: {
    request: [
      {
        location: 'ftp://user:pw@example.com/diag/',
        retries: 3,
        retryInterval: 60,
        startTime: t,
        stopTime: '2025-03-02T10:15:00Z',
      },
      { location: 'https://example.com/upload' },
    ],
    response: [{ fileName: 'diagnostics-2025-03-01.zip' }, {}],
  },
  GetInstalledCertificateIds: {
    request: [{ certificateType: 'ManufacturerRootCertificate' }],
    response: [{ certificateHashData: [hashData], status: 'Accepted' }, { status: 'NotFound' }],
  },
  GetLocalListVersion: { request: [{}], response: [{ listVersion: -1 }] },
  GetLog: {
    request: [
      {
        log: {
          remoteLocation: 'https://example.com/logs',
          oldestTimestamp: t,
          latestTimestamp: '2025-03-02T10:15:00Z',
        },
        logType: 'SecurityLog',
        requestId: 1,
        retries: 2,
        retryInterval: 30,
      },
    ],
    response: [{ status: 'AcceptedCanceled', filename: 'security.log' }, { status: 'Rejected' }],
  },
  Heartbeat: { request: [{}], response: [{ currentTime: t }] },
  InstallCertificate: {
    request: [
      {
        certificateType: 'CentralSystemRootCertificate',
        certificate: '-----BEGIN CERTIFICATE-----',
      },
    ],
    response: [{ status: 'Failed' }],
  },
  LogStatusNotification: {
    request: [{ status: 'Uploading', requestId: 1 }, { status: 'Idle' }],
    response: [{}],
  },
  MeterValues: {
    request: [
      {
        connectorId: 1,
        transactionId: 42,
        meterValue: [
          { timestamp: t, sampledValue: [sampledValue, { value: '21.5', unit: 'Celsius' }] },
        ],
      },
      { connectorId: 0, meterValue: [{ timestamp: t, sampledValue: [{ value: '0' }] }] },
    ],
    response: [{}],
  },
  RemoteStartTransaction: {
    request: [{ connectorId: 1, idTag: 'TAG-0001', chargingProfile }, { idTag: 'TAG-0001' }],
    response: [{ status: 'Accepted' }],
  },
  RemoteStopTransaction: { request: [{ transactionId: 42 }], response: [{ status: 'Rejected' }] },
  ReserveNow: {
    request: [
      {
        connectorId: 1,
        expiryDate: t,
        idTag: 'TAG-0001',
        parentIdTag: 'PARENT-1',
        reservationId: 9,
      },
    ],
    response: [{ status: 'Occupied' }],
  },
  Reset: { request: [{ type: 'Soft' }], response: [{ status: 'Accepted' }] },
  SecurityEventNotification: {
    request: [
      { type: 'FirmwareUpdated', timestamp: t, techInfo: 'v1.2.3 -> v1.2.4' },
      { type: 'StartupOfTheDevice', timestamp: t },
    ],
    response: [{}],
  },
  SendLocalList: {
    request: [
      {
        listVersion: 2,
        localAuthorizationList: [{ idTag: 'TAG-0001', idTagInfo }, { idTag: 'TAG-0002' }],
        updateType: 'Differential',
      },
      { listVersion: 1, updateType: 'Full' },
    ],
    response: [{ status: 'VersionMismatch' }],
  },
  SetChargingProfile: {
    request: [{ connectorId: 1, csChargingProfiles: chargingProfile }],
    response: [{ status: 'NotSupported' }],
  },
  SignCertificate: {
    request: [{ csr: '-----BEGIN CERTIFICATE REQUEST-----' }],
    response: [{ status: 'Accepted' }],
  },
  SignedFirmwareStatusNotification: {
    request: [{ status: 'InvalidSignature', requestId: 5 }, { status: 'Idle' }],
    response: [{}],
  },
  SignedUpdateFirmware: {
    request: [
      {
        retries: 3,
        retryInterval: 60,
        requestId: 5,
        firmware: {
          location: 'https://example.com/fw.bin',
          retrieveDateTime: t,
          installDateTime: '2025-03-01T11:00:00Z',
          signingCertificate: '-----BEGIN CERTIFICATE-----',
          signature: 'c2lnbmF0dXJl',
        },
      },
    ],
    response: [{ status: 'RevokedCertificate' }],
  },
  StartTransaction: {
    request: [
      { connectorId: 1, idTag: 'TAG-0001', meterStart: 1000, reservationId: 9, timestamp: t },
    ],
    response: [{ idTagInfo, transactionId: 42 }],
  },
  StatusNotification: {
    request: [
      {
        connectorId: 1,
        errorCode: 'OtherError',
        info: 'door open',
        status: 'Faulted',
        timestamp: t,
        vendorId: 'com.example',
        vendorErrorCode: 'E42',
      },
      { connectorId: 0, errorCode: 'NoError', status: 'Available' },
    ],
    response: [{}],
  },
  StopTransaction: {
    request: [
      {
        idTag: 'TAG-0001',
        meterStop: 20500,
        timestamp: t,
        transactionId: 42,
        reason: 'EVDisconnected',
        transactionData: [
          { timestamp: t, sampledValue: [sampledValue, { value: '21.5', unit: 'Celcius' }] },
        ],
      },
      { meterStop: 20500, timestamp: t, transactionId: 42 },
    ],
    response: [{ idTagInfo }, {}],
  },
  TriggerMessage: {
    request: [
      { requestedMessage: 'MeterValues', connectorId: 1 },
      { requestedMessage: 'DiagnosticsStatusNotification' },
    ],
    response: [{ status: 'Accepted' }],
  },
  UnlockConnector: { request: [{ connectorId: 1 }], response: [{ status: 'UnlockFailed' }] },
  UpdateFirmware: {
    request: [
      { location: 'https://example.com/fw.bin', retries: 3, retrieveDate: t, retryInterval: 60 },
      { location: 'ftp://example.com/fw.bin', retrieveDate: t },
    ],
    response: [{}],
  },
};
