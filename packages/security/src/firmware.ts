// Signed firmware (whitepaper L01): the signing certificate is checked against the manufacturer
// roots (L01.FR.12, L01.FR.23-25), then the base64 signature over the whole file, streamed from
// disk, is verified with SHA-256 (L01.FR.04): RSA-PSS or ECDSA; PKCS#1 v1.5 only when enabled.
// Results carry the statuses and security events the charge point must send.
import { constants, createVerify, type KeyObject, type Verify } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Firmware, SignedFirmwareStatus, UpdateFirmwareStatus } from '@ocpp-kit/messages';
import type { Certificate } from './certificate.js';
import { type ChainRejectionReason, validateFirmwareSigningCertificate } from './chain.js';
import { SecurityError } from './errors.js';

export interface FirmwareCertificateCheck {
  /** Firmware.signingCertificate from SignedUpdateFirmware.req. */
  readonly signingCertificate: Firmware['signingCertificate'];
  /** Installed ManufacturerRootCertificate PEMs. */
  readonly manufacturerRoots: readonly string[];
  /** Revocation hook (e.g. OCSP, a deny list): the whitepaper names no mechanism. */
  readonly isRevoked?: (certificate: Certificate) => boolean;
  /** Current time in epoch milliseconds; `Date.now` when omitted. */
  readonly clock?: () => number;
}

/** Certificate refused: answer SignedUpdateFirmware.conf with `updateFirmwareStatus` (L01.FR.24-25). */
export interface FirmwareCertificateRejection {
  readonly status: 'Rejected';
  readonly stage: 'certificate';
  readonly updateFirmwareStatus: Extract<
    UpdateFirmwareStatus,
    'InvalidCertificate' | 'RevokedCertificate'
  >;
  /** L01.FR.02. */
  readonly securityEvent: 'InvalidFirmwareSigningCertificate';
  readonly reason: ChainRejectionReason | 'Revoked';
  readonly message: string;
}

/** Signature refused: send SignedFirmwareStatusNotification with `firmwareStatus` (L01 step 5). */
export interface FirmwareSignatureRejection {
  readonly status: 'Rejected';
  readonly stage: 'signature';
  readonly firmwareStatus: Extract<SignedFirmwareStatus, 'InvalidSignature'>;
  /** L01.FR.03. */
  readonly securityEvent: 'InvalidFirmwareSignature';
  readonly reason: 'MissingSignature' | 'MalformedSignature' | 'SignatureMismatch';
  readonly message: string;
}

export type FirmwareCertificateResult =
  | { readonly status: 'Accepted'; readonly certificate: Certificate }
  | FirmwareCertificateRejection;

export type FirmwareVerification =
  | {
      readonly status: 'Accepted';
      readonly firmwareStatus: Extract<SignedFirmwareStatus, 'SignatureVerified'>;
      readonly certificate: Certificate;
      /** Which scheme verified. */
      readonly scheme: 'ECDSA' | 'RSA-PSS' | 'RSA-PKCS1-v1_5';
    }
  | FirmwareCertificateRejection
  | FirmwareSignatureRejection;

/** L01.FR.23: validates the signing certificate before accepting SignedUpdateFirmware.req. */
export function checkFirmwareSigningCertificate(
  check: FirmwareCertificateCheck,
): FirmwareCertificateResult {
  const result = validateFirmwareSigningCertificate({
    signingCertificate: check.signingCertificate,
    manufacturerRoots: check.manufacturerRoots,
    ...(check.clock === undefined ? {} : { clock: check.clock }),
  });
  if (result.status === 'Rejected') {
    return {
      status: 'Rejected',
      stage: 'certificate',
      updateFirmwareStatus: 'InvalidCertificate',
      securityEvent: 'InvalidFirmwareSigningCertificate',
      reason: result.reason,
      message: result.message,
    };
  }
  if (check.isRevoked?.(result.certificate) === true) {
    return {
      status: 'Rejected',
      stage: 'certificate',
      updateFirmwareStatus: 'RevokedCertificate',
      securityEvent: 'InvalidFirmwareSigningCertificate',
      reason: 'Revoked',
      message: 'The firmware signing certificate has been revoked (L01.FR.25)',
    };
  }
  return { status: 'Accepted', certificate: result.certificate };
}

export interface FirmwareVerificationOptions extends FirmwareCertificateCheck {
  /** Path of the downloaded firmware file; read as a stream, never whole into memory. */
  readonly file: string;
  /** Firmware.signature: base64 (line breaks tolerated). */
  readonly signature: Firmware['signature'] | undefined;
  /** Also accept RSA PKCS#1 v1.5 signatures (not allowed by L01.FR.04; legacy only). */
  readonly allowPkcs1v15?: boolean;
  /**
   * Largest file read, in bytes (the declared image size, or your flash size); a longer file,
   * or one that never ends (a FIFO, `/dev/zero`), throws `FIRMWARE_TOO_LARGE`. 2 GiB when omitted.
   */
  readonly maxBytes?: number;
  /** Stops reading; the call then throws `ABORTED`. */
  readonly signal?: AbortSignal;
}

/** `maxBytes` when none is given. */
export const defaultFirmwareMaxBytes = 2 ** 31;

/**
 * Verifies a downloaded firmware file (L01.FR.04, L01.FR.12). Throws `FIRMWARE_READ_FAILED` only
 * when the file cannot be read; every verdict on the certificate or signature is a result.
 */
export async function verifyFirmware(
  options: FirmwareVerificationOptions,
): Promise<FirmwareVerification> {
  const checked = checkFirmwareSigningCertificate(options);
  if (checked.status === 'Rejected') return checked;
  const decoded = decodeSignature(options.signature);
  if (decoded.status === 'Rejected') return signatureRejection(decoded.reason, decoded.message);
  const signature = decoded.signature;
  const key = checked.certificate.x509.publicKey;
  const candidates = schemesFor(key, signature, options.allowPkcs1v15 === true);
  const verifiers = candidates.map(() => createVerify('sha256'));
  await stream(options, verifiers);
  for (const [i, candidate] of candidates.entries()) {
    if (verifies(verifiers[i] as Verify, key, candidate, signature)) {
      return {
        status: 'Accepted',
        firmwareStatus: 'SignatureVerified',
        certificate: checked.certificate,
        scheme: candidate.scheme,
      };
    }
  }
  return signatureRejection(
    'SignatureMismatch',
    `The signature does not verify over the firmware file with ${candidates.map((c) => c.scheme).join(' or ')} / SHA-256`,
  );
}

interface Scheme {
  readonly scheme: 'ECDSA' | 'RSA-PSS' | 'RSA-PKCS1-v1_5';
  readonly options: { padding?: number; saltLength?: number; dsaEncoding?: 'der' | 'ieee-p1363' };
}

function schemesFor(key: KeyObject, signature: Buffer, allowPkcs1v15: boolean): Scheme[] {
  if (key.asymmetricKeyType === 'ec') {
    // `openssl dgst -sign` writes DER; raw r||s (IEEE P1363) is accepted as well.
    return [
      {
        scheme: 'ECDSA',
        options: { dsaEncoding: looksLikeDerSignature(signature) ? 'der' : 'ieee-p1363' },
      },
    ];
  }
  const pss: Scheme = {
    scheme: 'RSA-PSS',
    options: {
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: constants.RSA_PSS_SALTLEN_AUTO,
    },
  };
  if (key.asymmetricKeyType === 'rsa-pss' || !allowPkcs1v15) return [pss];
  return [pss, { scheme: 'RSA-PKCS1-v1_5', options: { padding: constants.RSA_PKCS1_PADDING } }];
}

function verifies(verifier: Verify, key: KeyObject, candidate: Scheme, signature: Buffer): boolean {
  try {
    return verifier.verify({ key, ...candidate.options }, signature);
  } catch {
    return false; // OpenSSL refuses a signature of the wrong size or shape: it does not verify.
  }
}

function looksLikeDerSignature(signature: Buffer): boolean {
  if (signature[0] !== 0x30 || signature.length < 8) return false;
  const length = signature[1] as number;
  return length < 0x80
    ? length + 2 === signature.length
    : length === 0x81 && (signature[2] as number) + 3 === signature.length;
}

const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeSignature(value: unknown):
  | { readonly status: 'Accepted'; readonly signature: Buffer }
  | {
      readonly status: 'Rejected';
      readonly reason: 'MissingSignature' | 'MalformedSignature';
      readonly message: string;
    } {
  const missing = (message: string) =>
    ({ status: 'Rejected', reason: 'MissingSignature', message }) as const;
  if (value === undefined)
    return missing('No signature was provided (L01: a missing signature is InvalidSignature)');
  if (typeof value !== 'string') {
    return {
      status: 'Rejected',
      reason: 'MalformedSignature',
      message: 'signature must be a string',
    };
  }
  const compact = value.replace(/[\r\n\t ]+/g, '');
  if (compact === '')
    return missing('The signature is empty (L01: a missing signature is InvalidSignature)');
  if (!base64.test(compact)) {
    return {
      status: 'Rejected',
      reason: 'MalformedSignature',
      message: 'signature is not valid base64',
    };
  }
  return { status: 'Accepted', signature: Buffer.from(compact, 'base64') };
}

function signatureRejection(
  reason: FirmwareSignatureRejection['reason'],
  message: string,
): FirmwareSignatureRejection {
  return {
    status: 'Rejected',
    stage: 'signature',
    firmwareStatus: 'InvalidSignature',
    securityEvent: 'InvalidFirmwareSignature',
    reason,
    message,
  };
}

async function stream(
  options: FirmwareVerificationOptions,
  verifiers: readonly Verify[],
): Promise<void> {
  const { file, signal } = options;
  const maxBytes = options.maxBytes ?? defaultFirmwareMaxBytes;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
    throw new SecurityError(
      'FIRMWARE_TOO_LARGE',
      `maxBytes must be a whole number >= 0; got ${maxBytes}`,
    );
  }
  let read = 0;
  try {
    // Reading stops one byte past the bound: enough to know the file is too long.
    const input = createReadStream(file, {
      highWaterMark: 256 * 1024,
      end: maxBytes,
      ...(signal === undefined ? {} : { signal }),
    });
    for await (const chunk of input) {
      read += (chunk as Buffer).length;
      if (read > maxBytes) break;
      for (const verifier of verifiers) verifier.update(chunk as Buffer);
    }
  } catch (cause) {
    if (signal?.aborted === true) {
      throw new SecurityError('ABORTED', `Verifying ${file} was aborted`, { cause: signal.reason });
    }
    throw new SecurityError('FIRMWARE_READ_FAILED', `Cannot read the firmware file ${file}`, {
      cause,
    });
  }
  if (read > maxBytes) {
    throw new SecurityError(
      'FIRMWARE_TOO_LARGE',
      `The firmware file ${file} is longer than maxBytes (${maxBytes}); raise maxBytes to the image size`,
    );
  }
}
