// Security profiles (OCPP 1.6 Security Whitepaper ed.3 §2.1-2.5) and the TLS settings they imply.
import { constants, X509Certificate } from 'node:crypto';
import type { ConnectionOptions, DetailedPeerCertificate, TLSSocket, TlsOptions } from 'node:tls';

/**
 * 0: no transport security or authentication (OCPP-J 1.6 §6.1, network-level security only);
 * 1: HTTP Basic over ws://; 2: HTTP Basic over TLS; 3: mutual TLS (whitepaper §2.1).
 */
export type SecurityProfile = 0 | 1 | 2 | 3;

export const securityProfiles: readonly SecurityProfile[] = [0, 1, 2, 3];

/** Profiles whose charge points authenticate with HTTP Basic (A00.FR.202, A00.FR.301). */
export function usesBasicAuth(profile: SecurityProfile): boolean {
  return profile === 1 || profile === 2;
}

/** Profiles that run over TLS (A00.FR.311, A00.FR.415). */
export function usesTls(profile: SecurityProfile): boolean {
  return profile >= 2;
}

/**
 * A00.FR.317/421: the Central System offers at least these four suites (OpenSSL names:
 * ECDHE-ECDSA needs an ECDSA certificate, the static-RSA suites an RSA one). TLS 1.3 suites
 * come first; all are AEAD, none "unsuitable for legacy use" (A00.FR.319).
 */
export const requiredTls12CipherSuites = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'AES128-GCM-SHA256',
  'AES256-GCM-SHA384',
] as const;

/**
 * What both ends offer unless `tls.ciphers` says otherwise: TLS 1.3 and the AEAD TLS 1.2 suites
 * only, so a Central System that allows nothing else (CBC, SHA-1, RC4, ...) fails the handshake
 * with InvalidTLSCipherSuite instead of connecting (A00.FR.319, A00.FR.322).
 */
export const defaultCipherSuites = [
  'TLS_AES_256_GCM_SHA384',
  'TLS_AES_128_GCM_SHA256',
  'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES128-GCM-SHA256',
  ...requiredTls12CipherSuites.slice(2),
].join(':');

/** A00.FR.312/416: TLS 1.2 or above. */
export const minimumTlsVersion = 'TLSv1.2';
const acceptedTlsVersions = new Set(['TLSv1.2', 'TLSv1.3']);

/** Server TLS settings: certificates (give an RSA and an ECDSA pair), CA for profile 3, tuning. */
export type ServerTlsOptions = Omit<TlsOptions, 'requestCert' | 'rejectUnauthorized'>;

/** Client TLS settings: trusted roots (`ca`), and for profile 3 the charge point `cert`/`key`. */
export type ClientTlsOptions = Omit<ConnectionOptions, 'rejectUnauthorized' | 'host' | 'port'>;

/** Describes a configuration mistake; the caller wraps it in its typed error. */
export class TlsConfigurationProblem {
  constructor(readonly message: string) {}
}

/**
 * The TLS options a profile 2/3 server runs with: TLS >= 1.2, the A00.FR.317 suites, no TLS
 * compression (A00.FR.320), and for profile 3 a required client certificate chaining to `ca`.
 */
export function serverTlsOptions(
  profile: SecurityProfile,
  tls: ServerTlsOptions | undefined,
): TlsOptions | TlsConfigurationProblem {
  if (!usesTls(profile)) return new TlsConfigurationProblem(`profile ${profile} does not use TLS`);
  if (
    tls === undefined ||
    tls.cert === undefined ||
    (tls.key === undefined && tls.pfx === undefined)
  ) {
    return new TlsConfigurationProblem(
      `Security profile ${profile} needs tls.key and tls.cert (an RSA and an ECDSA certificate to offer all four A00.FR.317 cipher suites)`,
    );
  }
  if ('rejectUnauthorized' in tls || 'requestCert' in tls) {
    return new TlsConfigurationProblem(
      'tls.requestCert/rejectUnauthorized are set by the security profile; remove them',
    );
  }
  if (profile === 3 && tls.ca === undefined) {
    return new TlsConfigurationProblem(
      'Security profile 3 needs tls.ca: the CA charge point certificates must chain to (A00.FR.403)',
    );
  }
  const minVersion = tls.minVersion === 'TLSv1.3' ? 'TLSv1.3' : minimumTlsVersion;
  return {
    ciphers: defaultCipherSuites,
    honorCipherOrder: true,
    ...tls,
    minVersion,
    secureOptions: (tls.secureOptions ?? 0) | constants.SSL_OP_NO_COMPRESSION,
    requestCert: profile === 3,
    rejectUnauthorized: profile === 3,
  };
}

/**
 * Why the server's certificates cannot offer all four A00.FR.317 suites (the ECDHE-ECDSA pair
 * needs an EC key, the static-RSA pair an RSA key), or undefined. Only `tls.cert` is read: a
 * `pfx`, or a certificate Node cannot parse (the TLS setup reports that itself), is not judged.
 */
export function missingSuiteCertificates(tls: ServerTlsOptions | undefined): string | undefined {
  const certs = tls?.cert;
  if (certs === undefined || tls?.pfx !== undefined) return undefined;
  const types = new Set<string>();
  for (const entry of Array.isArray(certs) ? certs : [certs]) {
    try {
      const type = new X509Certificate(entry).publicKey.asymmetricKeyType;
      if (type !== undefined) types.add(type === 'rsa-pss' ? 'rsa' : type);
    } catch {
      return undefined;
    }
  }
  const missing = [
    ...(types.has('rsa') ? [] : ['an RSA certificate (AES128-GCM-SHA256, AES256-GCM-SHA384)']),
    ...(types.has('ec') ? [] : ['an ECDSA certificate (ECDHE-ECDSA-AES128/256-GCM)']),
  ];
  if (missing.length === 0) return undefined;
  return `the TLS server lacks ${missing.join(' and ')}, so it cannot offer all four cipher suites A00.FR.317 requires; pass tls.key and tls.cert as arrays [rsa, ecdsa]`;
}

/** The TLS options a profile 2/3 client connects with; the server certificate is always verified. */
export function clientTlsOptions(
  profile: SecurityProfile,
  tls: ClientTlsOptions | undefined,
): ConnectionOptions | TlsConfigurationProblem {
  if (tls !== undefined && 'rejectUnauthorized' in tls) {
    return new TlsConfigurationProblem(
      'tls.rejectUnauthorized is not configurable: the Central System certificate is always verified (A00.FR.307, A00.FR.411)',
    );
  }
  if (
    profile === 3 &&
    (tls?.cert === undefined || (tls.key === undefined && tls.pfx === undefined))
  ) {
    return new TlsConfigurationProblem(
      'Security profile 3 needs tls.cert and tls.key: the charge point certificate (A00.FR.401)',
    );
  }
  const minVersion = tls?.minVersion === 'TLSv1.3' ? 'TLSv1.3' : minimumTlsVersion;
  return {
    ciphers: defaultCipherSuites,
    ...tls,
    minVersion,
    secureOptions: (tls?.secureOptions ?? 0) | constants.SSL_OP_NO_COMPRESSION,
    rejectUnauthorized: true,
  };
}

/** Why an upgraded TLS socket does not satisfy the server's profile. */
export type TlsSocketProblem = 'NotTls' | 'TlsVersion' | 'NoClientCertificate';

/**
 * Re-checks the negotiated connection on every upgrade, resumed sessions included: the version
 * (A00.FR.313) and, for profile 3, that a verified client certificate is present — a resumed
 * session can carry none even when `requestCert` is set.
 */
export function checkTlsSocket(
  profile: SecurityProfile,
  socket: TLSSocket,
): DetailedPeerCertificate | TlsSocketProblem | undefined {
  if (socket.encrypted !== true) return 'NotTls';
  const version = socket.getProtocol();
  if (version === null || !acceptedTlsVersions.has(version)) return 'TlsVersion';
  if (profile !== 3) return undefined;
  const certificate = socket.getPeerCertificate(true);
  if (socket.authorized !== true || certificate.raw === undefined) return 'NoClientCertificate';
  return certificate;
}

/** The values of one subject RDN (Node gives a string, or an array when repeated). */
export function subjectValues(certificate: DetailedPeerCertificate, rdn: 'O' | 'CN'): string[] {
  const value: unknown = (certificate.subject as unknown as Record<string, unknown> | undefined)?.[
    rdn
  ];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** A00.FR.502/503: RSA and DSA keys of at least 2048 bits, elliptic curves of at least 224. */
export const minimumKeyBits = { rsa: 2048, ec: 224 } as const;

/** Bits of a named curve as Node names it (prime256v1, secp384r1, brainpoolP512r1, ...). */
function curveBits(name: string): number | undefined {
  const digits = /(\d{3})/.exec(name);
  return digits === null ? undefined : Number(digits[1]);
}

/**
 * The first certificate of a verified peer chain (leaf up to its root) whose key is weaker than
 * A00.FR.501 allows, described for a refusal; `undefined` when every key is strong enough.
 */
export function weakKeyInChain(certificate: DetailedPeerCertificate): string | undefined {
  let current: DetailedPeerCertificate | undefined = certificate;
  for (let depth = 0; current?.raw !== undefined && depth < 10; depth++) {
    const key = new X509Certificate(current.raw).publicKey;
    const details = key.asymmetricKeyDetails ?? {};
    const role = depth === 0 ? 'certificate' : `issuer at depth ${depth}`;
    if (
      key.asymmetricKeyType === 'rsa' ||
      key.asymmetricKeyType === 'rsa-pss' ||
      key.asymmetricKeyType === 'dsa'
    ) {
      const bits = details.modulusLength ?? 0;
      if (bits < minimumKeyBits.rsa) {
        return `${role} has a ${bits}-bit ${key.asymmetricKeyType.toUpperCase()} key; at least ${minimumKeyBits.rsa} bits are required (A00.FR.502)`;
      }
    } else if (key.asymmetricKeyType === 'ec') {
      const bits = curveBits(details.namedCurve ?? '') ?? 0;
      if (bits < minimumKeyBits.ec) {
        return `${role} has a ${bits}-bit elliptic curve key (${details.namedCurve}); at least ${minimumKeyBits.ec} bits are required (A00.FR.503)`;
      }
    }
    const issuer: DetailedPeerCertificate | undefined = current.issuerCertificate;
    if (issuer === undefined || issuer === current) break;
    current = issuer;
  }
  return undefined;
}
