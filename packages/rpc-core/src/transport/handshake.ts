// Server-side handshake decision, taken before the HTTP upgrade completes (whitepaper §2.3
// remark 7: "The server first needs to validate the Authorization header before upgrading").
import type { IncomingMessage } from 'node:http';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';
import {
  authorizationKeyEquals,
  authorizationKeyLength,
  parseBasicAuthorization,
} from '@ocpp-kit/security/authorization-key';
import { RpcError } from '../errors.js';
import { identityFromRequestTarget } from './identity.js';
import {
  checkTlsSocket,
  type SecurityProfile,
  subjectValues,
  usesBasicAuth,
  usesTls,
  weakKeyInChain,
} from './security-profile.js';

/** What the `authenticate` hook sees. */
export interface HandshakeContext {
  /** The percent-decoded identity from the URL (OCPP-J §3.1.1). */
  readonly identity: string;
  readonly securityProfile: SecurityProfile;
  /** Profiles 1/2: the Basic password bytes (the AuthorizationKey); its username equals `identity`. */
  readonly password: Buffer | undefined;
  /** Profile 3: the verified client certificate (O and CN already checked). */
  readonly certificate: DetailedPeerCertificate | undefined;
  readonly remoteAddress: string | undefined;
  readonly request: IncomingMessage;
}

/** A refusal with its HTTP status: 401/403 (credentials), 404 (unknown charge point, §3.2). */
export interface HandshakeRejection {
  readonly status: 400 | 401 | 403 | 404 | 409 | 500 | 503;
  readonly reason: string;
  /**
   * Profile 3: a client certificate refused after TLS (O, CN, key strength) calls for the
   * Central System's InvalidChargePointCertificate security event (A00.FR.408).
   */
  readonly securityEvent?: 'InvalidChargePointCertificate';
  /** A server misconfiguration behind a 500, e.g. an AuthorizationKey of the wrong length. */
  readonly error?: RpcError;
}

/** `true` accepts; `false` answers 401 (profiles 1/2) or 403 (profile 3); or a chosen rejection. */
export type AuthenticateResult = boolean | HandshakeRejection;

export interface HandshakePolicy {
  readonly securityProfile: SecurityProfile;
  readonly basePath: string;
  readonly maxIdentityLength: number;
  /** Profiles 1/2: the charge point's AuthorizationKey, compared in constant time. */
  readonly authorizationKey:
    | ((identity: string) => Uint8Array | undefined | Promise<Uint8Array | undefined>)
    | undefined;
  /** Profile 3: the CPO name the certificate's O must equal (A00.FR.404). */
  readonly cpoName: string | undefined;
  /** Profile 3: does the certificate's CN belong to this identity (A00.FR.405)? */
  readonly matchCommonName: (commonName: string, identity: string) => boolean;
  readonly authenticate:
    | ((context: HandshakeContext) => AuthenticateResult | Promise<AuthenticateResult>)
    | undefined;
}

export interface HandshakeAcceptance {
  readonly identity: string;
  readonly certificate: DetailedPeerCertificate | undefined;
}

const reject = (status: HandshakeRejection['status'], reason: string): HandshakeRejection => ({
  status,
  reason,
});
const refuseCertificate = (reason: string): HandshakeRejection => ({
  status: 403,
  reason,
  securityEvent: 'InvalidChargePointCertificate',
});

/** Decides one upgrade request. Never throws: a throwing hook becomes a 503. */
export async function decideHandshake(
  request: IncomingMessage,
  policy: HandshakePolicy,
): Promise<HandshakeAcceptance | HandshakeRejection> {
  const profile = policy.securityProfile;
  const parsed = identityFromRequestTarget(
    request.url ?? '',
    policy.basePath,
    policy.maxIdentityLength,
  );
  if (!parsed.ok) {
    return parsed.problem === 'OutsideEndpoint'
      ? reject(404, 'No OCPP-J endpoint at this path')
      : reject(400, `Invalid charge point identity in the URL (${parsed.problem})`);
  }
  const identity = parsed.identity;

  let certificate: DetailedPeerCertificate | undefined;
  if (usesTls(profile)) {
    // A00.FR.002: a plain or downgraded connection on a TLS profile is refused.
    const checked = checkTlsSocket(profile, request.socket as TLSSocket);
    if (checked === 'NotTls' || checked === 'TlsVersion') {
      return reject(403, `Security profile ${profile} requires TLS 1.2 or above`);
    }
    if (checked === 'NoClientCertificate') {
      return refuseCertificate(
        'Security profile 3 requires a verified client certificate (A00.FR.407)',
      );
    }
    if (checked !== undefined) {
      const weak = weakKeyInChain(checked);
      if (weak !== undefined) return refuseCertificate(`Client ${weak}`);
    }
    certificate = checked;
  } else if ((request.socket as Partial<TLSSocket>).encrypted === true) {
    return reject(403, `Security profile ${profile} does not run over TLS (A00.FR.002)`);
  }

  if (profile === 0 && /^\s*basic\b/i.test(request.headers.authorization ?? '')) {
    // A00.FR.002: a charge point sending Basic credentials runs profile 1 or 2, not 0.
    return reject(403, 'Security profile 0 does not use HTTP Basic authentication (A00.FR.002)');
  }

  let password: Buffer | undefined;
  if (usesBasicAuth(profile)) {
    const credentials = parseBasicAuthorization(request.headers.authorization);
    if (credentials === undefined)
      return reject(401, 'HTTP Basic credentials required (A00.FR.203)');
    if (credentials.username !== identity) {
      return reject(401, 'The Basic username must equal the identity in the URL (A00.FR.204)');
    }
    password = credentials.password;
  }

  try {
    if (certificate !== undefined) {
      if (
        policy.cpoName === undefined ||
        !subjectValues(certificate, 'O').includes(policy.cpoName)
      ) {
        return refuseCertificate('Client certificate O is not the CPO name (A00.FR.404)');
      }
      const commonNames = subjectValues(certificate, 'CN');
      if (commonNames.length !== 1 || !policy.matchCommonName(commonNames[0] as string, identity)) {
        return refuseCertificate(
          'Client certificate CN does not match the charge point (A00.FR.405)',
        );
      }
    }
    if (password !== undefined && policy.authorizationKey !== undefined) {
      const expected = await policy.authorizationKey(identity);
      if (
        expected !== undefined &&
        (!(expected instanceof Uint8Array) ||
          expected.length < authorizationKeyLength.min ||
          expected.length > authorizationKeyLength.max)
      ) {
        // A00.FR.205: a short key is a weak key; never accept a charge point with one.
        const length =
          expected instanceof Uint8Array ? `${expected.length} bytes` : typeof expected;
        return {
          status: 500,
          reason: 'The AuthorizationKey configured for this charge point is invalid',
          error: new RpcError(
            'InvalidOptions',
            `authorizationKey('${identity}') returned ${length}; an AuthorizationKey has ${authorizationKeyLength.min}-${authorizationKeyLength.max} bytes (A00.FR.205): set a valid key for this charge point`,
          ),
        };
      }
      if (expected === undefined || !authorizationKeyEquals(password, expected)) {
        return reject(401, 'Wrong AuthorizationKey (A00.FR.205)');
      }
    }
    if (policy.authenticate !== undefined) {
      const verdict = await policy.authenticate({
        identity,
        securityProfile: profile,
        password,
        certificate,
        remoteAddress: request.socket.remoteAddress,
        request,
      });
      if (verdict === false) {
        return profile === 3
          ? reject(403, 'Rejected by authenticate')
          : reject(401, 'Rejected by authenticate');
      }
      if (verdict !== true) return verdict;
    }
  } catch {
    return reject(503, 'Authentication failed to complete');
  }
  return { identity, certificate };
}
