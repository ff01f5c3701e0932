// The handshake decision per charge point (whitepaper §2): its record, its lowest security
// profile, its AuthorizationKey or certificate CN, then the application's own hook.
import type { AuthenticateResult, HandshakeContext } from '@ocpp-kit/rpc-core';
import { authorizationKeyEquals } from '@ocpp-kit/security/authorization-key';
import type {
  ChargePointDirectory,
  ChargePointRecord,
} from '../registry/charge-point-directory.js';

/** `reject` answers 404 (OCPP-J §3.2 "unknown charge point"); `pending` records it for an operator. */
export type UnknownChargePointPolicy = 'reject' | 'pending';

/** What the application's `authenticate` hook sees: the handshake and the record it matched. */
export interface CsmsHandshakeContext extends HandshakeContext {
  readonly record: ChargePointRecord;
}

export interface AuthenticatorOptions {
  readonly directory: ChargePointDirectory;
  readonly unknownChargePoints: UnknownChargePointPolicy;
  readonly authenticate:
    | ((context: CsmsHandshakeContext) => AuthenticateResult | Promise<AuthenticateResult>)
    | undefined;
  /** Hands the record to the session about to be created for this identity. */
  readonly matched: (record: ChargePointRecord) => void;
}

const refuse = (status: 401 | 403 | 404, reason: string): AuthenticateResult => ({
  status,
  reason,
});

/** Builds the rpc-core `authenticate` hook of one listener. */
export function authenticator(
  options: AuthenticatorOptions,
): (context: HandshakeContext) => Promise<AuthenticateResult> {
  return async (context) => {
    const { identity, securityProfile } = context;
    let record = await options.directory.find(identity);
    if (record === undefined) {
      if (options.unknownChargePoints === 'reject') {
        return refuse(404, `Unknown charge point '${identity}' (OCPP-J §3.2)`);
      }
      record = await options.directory.addPending({
        identity,
        securityProfile,
        remoteAddress: context.remoteAddress,
      });
    }
    const verdict = checkRecord(record, context);
    if (verdict !== true) return verdict;
    const hook = options.authenticate;
    const result = hook === undefined ? true : await hook({ ...context, record });
    if (result === true) options.matched(record);
    return result;
  };
}

function checkRecord(record: ChargePointRecord, context: HandshakeContext): AuthenticateResult {
  const { securityProfile, identity } = context;
  // A lower profile than configured is a downgrade (whitepaper §2.1: profiles only go up, A05).
  if (securityProfile < record.securityProfile) {
    return refuse(
      record.securityProfile === 3 ? 403 : 401,
      `Charge point '${identity}' must connect with security profile ${record.securityProfile} or higher`,
    );
  }
  if (context.password !== undefined) {
    const key = record.authorizationKey;
    // A charge point awaiting registration has no key yet; an operator sets one when registering it.
    if (key === undefined) {
      return record.registration === 'PendingRegistration'
        ? true
        : refuse(401, `No AuthorizationKey is set for '${identity}' (A00.FR.205)`);
    }
    if (!authorizationKeyEquals(context.password, key)) {
      return refuse(401, 'Wrong AuthorizationKey (A00.FR.205)');
    }
  }
  if (context.certificate !== undefined) {
    const cn: string | string[] | undefined = context.certificate.subject.CN;
    const commonName = Array.isArray(cn) ? cn[0] : cn;
    const expected = record.certificateCommonName ?? identity;
    if (commonName !== expected) {
      return {
        status: 403,
        reason: 'Client certificate CN does not match the charge point (A00.FR.405)',
        securityEvent: 'InvalidChargePointCertificate',
      };
    }
  }
  return true;
}
