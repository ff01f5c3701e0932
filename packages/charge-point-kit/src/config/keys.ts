import { isValidAuthorizationKey } from '@ocpp-kit/security/authorization-key';
import type { KeyDefinition } from './key-definition.js';

const measurandList = { type: 'csl', items: 'measurands' } as const;

/**
 * The standard configuration keys the kit implements (chapter 9 with errata 3.80, 3.81, 3.83,
 * 3.84, 3.91; whitepaper §7.2). Read-only sizes and counts default here and are set by the
 * charge point from its options; read-write values persist. A key of a profile the charge point
 * does not support does not exist for it.
 */
export const standardKeys = {
  // 9.1 Core
  AllowOfflineTxForUnknownId: { profile: 'Core', type: 'boolean', access: 'RW', default: false },
  AuthorizationCacheEnabled: { profile: 'Core', type: 'boolean', access: 'RW', default: true },
  AuthorizeRemoteTxRequests: { profile: 'Core', type: 'boolean', access: 'RW', default: false },
  ClockAlignedDataInterval: {
    profile: 'Core',
    type: 'integer',
    access: 'RW',
    default: 0,
    min: 0,
    max: 86_400,
  },
  ConnectionTimeOut: { profile: 'Core', type: 'integer', access: 'RW', default: 60, min: 0 },
  ConnectorPhaseRotation: {
    profile: 'Core',
    type: 'csl',
    access: 'RW',
    default: ['0.Unknown'],
    items: 'phaseRotations',
    maxLengthKey: 'ConnectorPhaseRotationMaxLength',
  },
  ConnectorPhaseRotationMaxLength: {
    profile: 'Core',
    type: 'integer',
    access: 'R',
    default: 2,
  },
  GetConfigurationMaxKeys: { profile: 'Core', type: 'integer', access: 'R', default: 100 },
  HeartbeatInterval: { profile: 'Core', type: 'integer', access: 'RW', default: 300, min: 0 },
  LocalAuthorizeOffline: { profile: 'Core', type: 'boolean', access: 'RW', default: true },
  LocalPreAuthorize: { profile: 'Core', type: 'boolean', access: 'RW', default: false },
  MaxEnergyOnInvalidId: { profile: 'Core', type: 'integer', access: 'RW', default: 0, min: 0 },
  MessageTimeout: { profile: 'Core', type: 'integer', access: 'RW', default: 30, min: 1 },
  MeterValuesAlignedData: {
    profile: 'Core',
    ...measurandList,
    access: 'RW',
    default: ['Energy.Active.Import.Register'],
    maxLengthKey: 'MeterValuesAlignedDataMaxLength',
  },
  MeterValuesAlignedDataMaxLength: { profile: 'Core', type: 'integer', access: 'R', default: 8 },
  MeterValuesSampledData: {
    profile: 'Core',
    ...measurandList,
    access: 'RW',
    default: ['Energy.Active.Import.Register'],
    maxLengthKey: 'MeterValuesSampledDataMaxLength',
  },
  MeterValuesSampledDataMaxLength: { profile: 'Core', type: 'integer', access: 'R', default: 8 },
  MeterValueSampleInterval: { profile: 'Core', type: 'integer', access: 'RW', default: 60, min: 0 },
  MinimumStatusDuration: { profile: 'Core', type: 'integer', access: 'RW', default: 0, min: 0 },
  NumberOfConnectors: { profile: 'Core', type: 'integer', access: 'R', default: 1 },
  ResetRetries: { profile: 'Core', type: 'integer', access: 'RW', default: 1, min: 0 },
  StopTransactionMaxMeterValues: {
    profile: 'Core',
    type: 'integer',
    access: 'R',
    default: 500,
  },
  StopTransactionOnEVSideDisconnect: {
    profile: 'Core',
    type: 'boolean',
    access: 'RW',
    default: true,
  },
  StopTransactionOnInvalidId: { profile: 'Core', type: 'boolean', access: 'RW', default: true },
  StopTxnAlignedData: {
    profile: 'Core',
    ...measurandList,
    access: 'RW',
    default: [],
    maxLengthKey: 'StopTxnAlignedDataMaxLength',
  },
  StopTxnAlignedDataMaxLength: { profile: 'Core', type: 'integer', access: 'R', default: 8 },
  StopTxnSampledData: {
    profile: 'Core',
    ...measurandList,
    access: 'RW',
    default: [],
    maxLengthKey: 'StopTxnSampledDataMaxLength',
  },
  StopTxnSampledDataMaxLength: { profile: 'Core', type: 'integer', access: 'R', default: 8 },
  SupportedFeatureProfiles: {
    profile: 'Core',
    type: 'csl',
    access: 'R',
    default: ['Core'],
  },
  TransactionMessageAttempts: {
    profile: 'Core',
    type: 'integer',
    access: 'RW',
    default: 3,
    min: 1,
  },
  TransactionMessageRetryInterval: {
    profile: 'Core',
    type: 'integer',
    access: 'RW',
    default: 60,
    min: 0,
  },
  UnlockConnectorOnEVSideDisconnect: {
    profile: 'Core',
    type: 'boolean',
    access: 'RW',
    default: true,
  },
  // 9.1.34: negative values are Rejected.
  WebSocketPingInterval: { profile: 'Core', type: 'integer', access: 'RW', default: 60, min: 0 },
  // 9.2 Local Auth List Management
  LocalAuthListEnabled: {
    profile: 'LocalAuthListManagement',
    type: 'boolean',
    access: 'RW',
    default: true,
  },
  LocalAuthListMaxLength: {
    profile: 'LocalAuthListManagement',
    type: 'integer',
    access: 'R',
    default: 1000,
  },
  SendLocalListMaxLength: {
    profile: 'LocalAuthListManagement',
    type: 'integer',
    access: 'R',
    default: 100,
  },
  // 9.3 Reservation
  ReserveConnectorZeroSupported: {
    profile: 'Reservation',
    type: 'boolean',
    access: 'R',
    default: false,
  },
  // 9.5 Firmware Management (errata 3.90)
  SupportedFileTransferProtocols: {
    profile: 'FirmwareManagement',
    type: 'csl',
    access: 'R',
    default: ['FTP', 'FTPS', 'HTTP', 'HTTPS'],
    items: ['FTP', 'FTPS', 'HTTP', 'HTTPS'],
  },
  // 9.4 Smart Charging (§3.13.5: reported through GetConfiguration; the profile store enforces them)
  ChargeProfileMaxStackLevel: {
    profile: 'SmartCharging',
    type: 'integer',
    access: 'R',
    default: 8,
    min: 0,
  },
  ChargingScheduleAllowedChargingRateUnit: {
    profile: 'SmartCharging',
    type: 'csl',
    access: 'R',
    default: ['Current', 'Power'],
    items: ['Current', 'Power'],
  },
  ChargingScheduleMaxPeriods: {
    profile: 'SmartCharging',
    type: 'integer',
    access: 'R',
    default: 24,
    min: 1,
  },
  ConnectorSwitch3to1PhaseSupported: {
    profile: 'SmartCharging',
    type: 'boolean',
    access: 'R',
    default: false,
  },
  MaxChargingProfilesInstalled: {
    profile: 'SmartCharging',
    type: 'integer',
    access: 'R',
    default: 10,
    min: 1,
  },
  // Whitepaper §7.1, 7.3-7.5: the certificate store's limits and the CPO of the CSRs.
  AdditionalRootCertificateCheck: {
    profile: 'Security',
    type: 'boolean',
    access: 'R',
    default: false,
  },
  CertificateSignedMaxChainSize: {
    profile: 'Security',
    type: 'integer',
    access: 'R',
    default: 10_000,
    min: 1,
    max: 10_000,
  },
  CertificateStoreMaxLength: {
    profile: 'Security',
    type: 'integer',
    access: 'R',
    default: 20,
    min: 1,
  },
  CpoName: { profile: 'Security', type: 'string', access: 'RW', default: '', maxLength: 64 },
  // Whitepaper §7.6: raised only, once its prerequisites exist (A05); never lowered over OCPP.
  SecurityProfile: {
    profile: 'Security',
    type: 'integer',
    access: 'RW',
    default: 0,
    min: 0,
    max: 3,
  },
  // Whitepaper §7.2: 16-20 bytes as 32-40 hexadecimal digits; write-only.
  AuthorizationKey: {
    profile: 'Security',
    type: 'string',
    access: 'W',
    default: '',
    maxLength: 40,
    validate: (value) =>
      isValidAuthorizationKey(value)
        ? undefined
        : 'AuthorizationKey must be 32-40 hexadecimal digits (16-20 bytes, whitepaper §7.2)',
  },
} as const satisfies Record<string, KeyDefinition>;

/** The name of a standard key. */
export type StandardKeyName = keyof typeof standardKeys;
