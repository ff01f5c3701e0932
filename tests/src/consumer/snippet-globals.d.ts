// What the README snippets leave to the reader (an open socket, a database, PEM files): declared
// with the packages' own types, so each snippet compiles as the user would paste it.

import type { ChargePoint, HardwareAdapter } from '@ocpp-kit/charge-point-kit';
import type { CentralSystem } from '@ocpp-kit/csms-kit';
import type {
  ChargingProfile,
  ClearChargingProfileRequest,
  GetCompositeScheduleRequest,
  MeterValue,
  OcppServer,
  ocpp16,
  ResetType,
  Router,
  SetChargingProfileRequest,
} from '@ocpp-kit/rpc-core';
import type { ProfileStoreOptions } from '@ocpp-kit/schedule';
import type { CertificateHashData } from '@ocpp-kit/security';

declare global {
  // README.md
  // @ocpp-kit/csms-kit
  const csms: CentralSystem;
  function saveReadings(identity: string, meterValue: readonly MeterValue[]): Promise<void>;
  const keys: Map<string, Uint8Array>;
  const authorizationKey: Uint8Array;
  // @ocpp-kit/rpc-core
  const socket: {
    send(text: string): void;
    close(code: number, reason: string): void;
    on(event: 'message', listener: (data: Buffer) => void): void;
    on(event: 'close', listener: () => void): void;
  };
  function scheduleReset(type: ResetType): void;
  function audit(identity: string, key: string): void;
  const identity: string;
  const router: Router<typeof ocpp16, 'CentralSystem'>;
  const server: OcppServer<typeof ocpp16>;
  const rsaKey: string;
  const ecKey: string;
  const rsaCert: string;
  const ecCert: string;
  const db: { authorizationKeyOf(identity: string): Promise<Uint8Array | undefined> };
  const csmsRoot: string;
  const chargePointCert: string;
  const chargePointKey: string;
  // @ocpp-kit/charge-point-kit
  const chargePoint: ChargePoint;
  const hardware: HardwareAdapter;
  // @ocpp-kit/schedule
  const setChargingProfileReq: SetChargingProfileRequest;
  const clearChargingProfileReq: ClearChargingProfileRequest;
  const getCompositeScheduleReq: GetCompositeScheduleRequest;
  const chargingProfile: ChargingProfile;
  const options: ProfileStoreOptions;
  const path: string;
  function reapply(): void;
  // @ocpp-kit/security
  const directory: string;
  const pem: string;
  const hashData: CertificateHashData;
  const peerChain: string;
  const fingerprint: string;
  const privateKeyPem: string;
  const chain: string;
  const cpoName: string;
  const serialNumber: string;
  const signingCertificate: string;
  const manufacturerRoots: readonly string[];
  const file: string;
  const signature: string;
  const oldest: number;
  const latest: number;
  const table: {
    all(): string[];
    insert(record: string): void;
    replaceAll(records: readonly string[]): void;
    copy(): string;
  };
}
