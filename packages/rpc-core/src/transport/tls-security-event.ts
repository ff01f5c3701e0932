// Which Security Whitepaper ed.3 §8 security event a failed TLS handshake with the Central
// System calls for (§2.4.1 profile 2, §2.5.1 profile 3). The charge point application records it
// (e.g. with @ocpp-kit/security's SecurityLog); rpc-core only classifies and terminates.
import { DEFAULT_MAX_VERSION } from 'node:tls';
import { RpcError } from '../errors.js';

/**
 * The §8 events a charge point raises for a failed TLS handshake with the Central System; the
 * names are those of the @ocpp-kit/security catalogue.
 */
export const tlsSecurityEvents = [
  /** A00.FR.309/310, A00.FR.413/414: invalid certificate or certification path, or FQDN mismatch (A00.FR.308/412). */
  'InvalidCentralSystemCertificate',
  /** A00.FR.315, A00.FR.419: the Central System allows only TLS older than 1.2, or SSL. */
  'InvalidTLSVersion',
  /** A00.FR.322, A00.FR.426 (and the A00.FR.318/422 note): no acceptable cipher suite. */
  'InvalidTLSCipherSuite',
] as const;
export type TlsSecurityEvent = (typeof tlsSecurityEvents)[number];

/**
 * Node's TLS error code (see `tlsErrorCode`) -> event. The certificate codes are every
 * X509_V_ERR name Node reports (the table in its src/crypto/crypto_common.cc, as found in the
 * node 20 binary) except OUT_OF_MEM: each means the certification path did not validate. Seen
 * against node:tls / ws on 127.0.0.1 (Node 20, OpenSSL 3.0): UNABLE_TO_VERIFY_LEAF_SIGNATURE,
 * SELF_SIGNED_CERT_IN_CHAIN, DEPTH_ZERO_SELF_SIGNED_CERT, CERT_HAS_EXPIRED, INVALID_PURPOSE,
 * UNSPECIFIED, ERR_TLS_CERT_ALTNAME_INVALID and all four ERR_SSL_* codes below. Codes not
 * listed (ECONNRESET, ECONNREFUSED, ERR_SSL_WRONG_VERSION_NUMBER from a non-TLS port, TLS 1.3
 * CERTIFICATE_REQUIRED, insufficient_security, ...) raise no event.
 */
const tlsFailureCodes = {
  // A00.FR.307/309/411/413: certification path (RFC 5280 §6) did not validate.
  UNABLE_TO_GET_ISSUER_CERT: 'InvalidCentralSystemCertificate',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'InvalidCentralSystemCertificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'InvalidCentralSystemCertificate', // root not trusted
  UNABLE_TO_DECRYPT_CERT_SIGNATURE: 'InvalidCentralSystemCertificate',
  UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY: 'InvalidCentralSystemCertificate',
  CERT_SIGNATURE_FAILURE: 'InvalidCentralSystemCertificate',
  CERT_NOT_YET_VALID: 'InvalidCentralSystemCertificate',
  CERT_HAS_EXPIRED: 'InvalidCentralSystemCertificate',
  ERROR_IN_CERT_NOT_BEFORE_FIELD: 'InvalidCentralSystemCertificate',
  ERROR_IN_CERT_NOT_AFTER_FIELD: 'InvalidCentralSystemCertificate',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'InvalidCentralSystemCertificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'InvalidCentralSystemCertificate', // foreign root sent along
  CERT_CHAIN_TOO_LONG: 'InvalidCentralSystemCertificate',
  CERT_REVOKED: 'InvalidCentralSystemCertificate',
  INVALID_CA: 'InvalidCentralSystemCertificate',
  PATH_LENGTH_EXCEEDED: 'InvalidCentralSystemCertificate',
  INVALID_PURPOSE: 'InvalidCentralSystemCertificate', // e.g. no serverAuth EKU
  CERT_UNTRUSTED: 'InvalidCentralSystemCertificate',
  CERT_REJECTED: 'InvalidCentralSystemCertificate',
  // Revocation could not be checked (only with a `crl` option): "could not be verified" (§8).
  UNABLE_TO_GET_CRL: 'InvalidCentralSystemCertificate',
  UNABLE_TO_DECRYPT_CRL_SIGNATURE: 'InvalidCentralSystemCertificate',
  CRL_SIGNATURE_FAILURE: 'InvalidCentralSystemCertificate',
  CRL_NOT_YET_VALID: 'InvalidCentralSystemCertificate',
  CRL_HAS_EXPIRED: 'InvalidCentralSystemCertificate',
  ERROR_IN_CRL_LAST_UPDATE_FIELD: 'InvalidCentralSystemCertificate',
  ERROR_IN_CRL_NEXT_UPDATE_FIELD: 'InvalidCentralSystemCertificate',
  // Node's name for any other X509_V_ERR, e.g. "EE certificate key too weak".
  UNSPECIFIED: 'InvalidCentralSystemCertificate',
  // A00.FR.308/412: the certificate does not name the FQDN (or IP) we connected to.
  ERR_TLS_CERT_ALTNAME_INVALID: 'InvalidCentralSystemCertificate',
  HOSTNAME_MISMATCH: 'InvalidCentralSystemCertificate',
  // A00.FR.313/315/417/419: protocol_version alert (an OpenSSL server capped below TLS 1.2),
  // or a ServerHello selecting a version we do not enable (TLS 1.1, SSL 3).
  ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION: 'InvalidTLSVersion',
  ERR_SSL_UNSUPPORTED_PROTOCOL: 'InvalidTLSVersion',
  // A00.FR.322/426: handshake_failure alert (an OpenSSL server with no suite in common answers
  // ClientHello with it), or a ServerHello selecting a suite we did not offer. The alert is
  // generic (RFC 5246 §7.2.2), so this mapping is ambiguous: no shared group or signature
  // algorithm sends it too, and so does a TLS 1.2 server that requires a client certificate this
  // client does not send, e.g. a profile 2 charge point connecting to a profile 3 port (an
  // OpenSSL server with `requestCert` and `rejectUnauthorized` answers an empty Certificate with
  // handshake_failure in TLS 1.2; TLS 1.3 sends certificate_required, which raises no event).
  // The client cannot tell these apart from the alert: all of them report InvalidTLSCipherSuite,
  // and `details.tlsError` keeps the code for techInfo.
  ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE: 'InvalidTLSCipherSuite',
  ERR_SSL_UNKNOWN_CIPHER_RETURNED: 'InvalidTLSCipherSuite',
} as const satisfies Record<string, TlsSecurityEvent>;

const eventByCode: ReadonlyMap<string, TlsSecurityEvent> = new Map(Object.entries(tlsFailureCodes));

/** The TLS versions the client enables (the resolved `minVersion` / `maxVersion`). */
export interface TlsVersionRange {
  readonly minVersion?: string | undefined;
  readonly maxVersion?: string | undefined;
}

/**
 * A version failure proves the Central System allows only an older TLS (A00.FR.315/419) when
 * we enable every version the whitepaper allows (A00.FR.312/416): TLS 1.2 and 1.3. A client
 * capped at 1.2 or raised to 1.3 may be refused by a 1.3-only or 1.2-only Central System,
 * which is no older version.
 */
function enablesAllAllowedVersions(range: TlsVersionRange): boolean {
  return (
    (range.minVersion ?? 'TLSv1.2') === 'TLSv1.2' &&
    (range.maxVersion ?? DEFAULT_MAX_VERSION) === 'TLSv1.3'
  );
}

/**
 * An OpenSSL error line as Node prints it: `error:0A00042E:SSL routines:<function>:<reason>:...`.
 * The reason is the same text Node turns into an `ERR_SSL_*` code.
 */
const opensslSslError = /error:[0-9A-F]{8}:SSL routines:[^:]*:([a-z0-9 ]+):/i;

/**
 * The TLS error code of a failed handshake, as Node names it. When the alert ends a pending
 * write (ws always writes the upgrade request before the handshake completes), Node reports
 * `EPROTO` with the OpenSSL error only in the message; the `ERR_SSL_*` code is then rebuilt
 * from the reason the way Node builds it (`ERR_SSL_` + reason, upper case, `_` for spaces).
 */
export function tlsErrorCode(error: unknown): string | undefined {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code !== 'string') return undefined;
  if (code !== 'EPROTO' || typeof message !== 'string') return code;
  const reason = opensslSslError.exec(message)?.[1];
  return reason === undefined ? code : `ERR_SSL_${reason.toUpperCase().replaceAll(' ', '_')}`;
}

/**
 * The security event a failed TLS handshake calls for, from its `tlsErrorCode`; `undefined`
 * for any other failure (network, non-TLS port, unknown code).
 */
export function classifyTlsFailure(
  code: string,
  range: TlsVersionRange,
): TlsSecurityEvent | undefined {
  const event = eventByCode.get(code);
  switch (event) {
    case undefined:
    case 'InvalidCentralSystemCertificate':
    case 'InvalidTLSCipherSuite':
      return event;
    case 'InvalidTLSVersion':
      return enablesAllAllowedVersions(range) ? event : undefined;
    default:
      return event satisfies never;
  }
}

/** `details` of the `AuthenticationFailed` / `HandshakeFailed` errors of `connect()` and `connectFailed`. */
export interface HandshakeFailureDetails {
  /** The HTTP status the Central System answered instead of 101. */
  readonly status?: number;
  /** The TLS handshake failed for a reason the whitepaper attaches this security event to. */
  readonly securityEvent?: TlsSecurityEvent;
  /** With `securityEvent`: Node's TLS error code behind it, e.g. `CERT_HAS_EXPIRED` (for techInfo). */
  readonly tlsError?: string;
}

/**
 * The security event to raise for a failed (re)connect, read from a `HandshakeFailed`
 * error's `details`; `undefined` for every other error.
 */
export function handshakeSecurityEvent(error: unknown): TlsSecurityEvent | undefined {
  if (!(error instanceof RpcError) || error.code !== 'HandshakeFailed') return undefined;
  return (error.details as HandshakeFailureDetails | undefined)?.securityEvent;
}
