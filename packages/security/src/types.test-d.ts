import type {
  CertificateHashData,
  CertificateSignedStatus,
  DeleteCertificateStatus,
  GetInstalledCertificateIdsResponse,
  InstallCertificateStatus,
  SecurityEventNotificationRequest,
  SignedFirmwareStatus,
  UpdateFirmwareStatus,
} from '@ocpp-kit/messages';
import { describe, expectTypeOf, test } from 'vitest';
import type {
  CertificateStore,
  FirmwareVerification,
  SecurityEventType,
  SecurityLogEntry,
  SecurityLogOptions,
  SecurityLogStorage,
} from './index.js';
import {
  certificateHashData,
  certificateStoreFile,
  SecurityLog,
  CertificateStore as Store,
  securityEventNotification,
  toSecurityEventNotification,
  validateCertificateSigned,
} from './index.js';

describe('types flow from @ocpp-kit/messages', () => {
  test('store answers are the generated response types', () => {
    expectTypeOf<
      ReturnType<CertificateStore['installedCertificateIds']>
    >().toEqualTypeOf<GetInstalledCertificateIdsResponse>();
    expectTypeOf<
      Awaited<ReturnType<CertificateStore['delete']>>
    >().toEqualTypeOf<DeleteCertificateStatus>();
    expectTypeOf<
      Awaited<ReturnType<CertificateStore['install']>>['status']
    >().toEqualTypeOf<InstallCertificateStatus>();
    expectTypeOf<
      Awaited<ReturnType<CertificateStore['acceptCertificateSigned']>>['status']
    >().toEqualTypeOf<CertificateSignedStatus>();
    expectTypeOf(certificateHashData).returns.toEqualTypeOf<CertificateHashData>();
  });

  test('firmware results narrow to schema statuses', () => {
    const check = (result: FirmwareVerification) => {
      if (result.status === 'Accepted')
        return expectTypeOf(result.firmwareStatus).toExtend<SignedFirmwareStatus>();
      if (result.stage === 'certificate')
        return expectTypeOf(result.updateFirmwareStatus).toExtend<UpdateFirmwareStatus>();
      return expectTypeOf(result.firmwareStatus).toExtend<SignedFirmwareStatus>();
    };
    expectTypeOf(check).toBeFunction();
  });

  test('security events build SecurityEventNotification.req', () => {
    expectTypeOf(
      securityEventNotification,
    ).returns.toEqualTypeOf<SecurityEventNotificationRequest>();
    expectTypeOf(toSecurityEventNotification).parameter(0).toEqualTypeOf<SecurityLogEntry>();
    expectTypeOf<'TamperDetectionActivated'>().toExtend<SecurityEventType>();
    // @ts-expect-error not a section 8 event name
    expectTypeOf<'TamperDetected'>().toExtend<SecurityEventType>();
  });

  test("regression: CertificateSigned without this charge point's identity does not compile (A02.FR.06)", () => {
    const accept = (store: CertificateStore, chain: string) => {
      // @ts-expect-error the identity (cpoName, serialNumber) is required
      void store.acceptCertificateSigned(chain);
      // @ts-expect-error serialNumber is required too
      void store.acceptCertificateSigned(chain, { cpoName: 'ACME' });
      return store.acceptCertificateSigned(chain, { cpoName: 'ACME', serialNumber: 'CP-1' });
    };
    expectTypeOf(accept).toBeFunction();
    // @ts-expect-error validateCertificateSigned needs them as well
    expectTypeOf(validateCertificateSigned).toBeCallableWith({
      certificateChain: '',
      centralSystemRoots: [],
      csrPublicKey: '',
    });
  });

  test('one durability model: a store and a log open on a file default or on a storage port, never both', () => {
    const open = (storage: SecurityLogStorage) => {
      void SecurityLog.open({ file: '/var/lib/cp/security.log' });
      void SecurityLog.open({ storage, maxEntries: 10 });
      // @ts-expect-error a file or a storage, not both
      void SecurityLog.open({ file: 'x', storage });
      // @ts-expect-error one of them is required
      void SecurityLog.open({ maxEntries: 10 });
      void Store.open({ storage: certificateStoreFile('/var/lib/cp/store.json') });
      // @ts-expect-error a directory or a storage, not both
      void Store.open({ directory: 'x', storage: certificateStoreFile('y') });
    };
    expectTypeOf(open).toBeFunction();
    expectTypeOf<SecurityLogOptions['clock']>().toEqualTypeOf<(() => number) | undefined>();
  });
});
