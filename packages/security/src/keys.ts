// Key pairs for CSRs and certificates (whitepaper A02.FR.02, A00.FR.501-503): generated with Node's
// WebCrypto so the same key serves @peculiar/x509 (CryptoKey) and TLS (PEM).
import { createPrivateKey, type KeyObject, webcrypto } from 'node:crypto';
import { SecurityError } from './errors.js';

/** A key type the whitepaper allows: ECDSA P-256 (default), P-384, or RSA of at least 2048 bits. */
export type KeySpec =
  | { readonly type: 'ec'; readonly curve: 'P-256' | 'P-384' }
  | { readonly type: 'rsa'; readonly bits: number };

export const defaultKeySpec: KeySpec = { type: 'ec', curve: 'P-256' };

/** A generated key pair, as WebCrypto keys and as PEM. */
export interface GeneratedKeyPair {
  readonly keys: webcrypto.CryptoKeyPair;
  /** PKCS#8 PEM: stays on the device that generated it (A02.FR.05). */
  readonly privateKeyPem: string;
  /** SubjectPublicKeyInfo PEM. */
  readonly publicKeyPem: string;
}

/** Generates a fresh key pair; throws `UNSUPPORTED_KEY` for sizes A00.FR.502 forbids. */
export async function generateKeyPair(spec: KeySpec = defaultKeySpec): Promise<GeneratedKeyPair> {
  assertKeySpec(spec);
  const keys = (await webcrypto.subtle.generateKey(
    spec.type === 'ec'
      ? { name: 'ECDSA', namedCurve: spec.curve }
      : {
          name: 'RSASSA-PKCS1-v1_5',
          modulusLength: spec.bits,
          publicExponent: new Uint8Array([1, 0, 1]),
          hash: 'SHA-256',
        },
    true,
    ['sign', 'verify'],
  )) as webcrypto.CryptoKeyPair;
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const spki = Buffer.from(await webcrypto.subtle.exportKey('spki', keys.publicKey));
  return { keys, privateKeyPem: pem('PRIVATE KEY', pkcs8), publicKeyPem: pem('PUBLIC KEY', spki) };
}

/** Imports a PKCS#8 PEM private key as a WebCrypto signing key, with the algorithm to sign with. */
export async function importSigningKey(
  privateKeyPem: string,
  rsaScheme: 'pss' | 'pkcs1' = 'pss',
): Promise<{ key: webcrypto.CryptoKey; algorithm: webcrypto.Algorithm }> {
  const keyObject = readPrivateKey(privateKeyPem);
  const spec = keySpecOf(keyObject);
  const der = keyObject.export({ type: 'pkcs8', format: 'der' });
  if (spec.type === 'ec') {
    const algorithm = { name: 'ECDSA', namedCurve: spec.curve, hash: 'SHA-256' };
    return {
      key: await webcrypto.subtle.importKey('pkcs8', der, algorithm, false, ['sign']),
      algorithm,
    };
  }
  // A00.FR.505: a certificate authority SHOULD sign with RSA-PSS (or ECDSA).
  const algorithm =
    rsaScheme === 'pss'
      ? { name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 }
      : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const key = await webcrypto.subtle.importKey(
    'pkcs8',
    der,
    { name: algorithm.name, hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return { key, algorithm };
}

/** Parses a PEM private key; throws `UNSUPPORTED_KEY` naming the problem. */
export function readPrivateKey(privateKeyPem: string): KeyObject {
  try {
    return createPrivateKey(privateKeyPem);
  } catch (cause) {
    throw new SecurityError('UNSUPPORTED_KEY', 'privateKeyPem is not a readable PEM private key', {
      cause,
    });
  }
}

const curveNames: Record<string, 'P-256' | 'P-384'> = {
  prime256v1: 'P-256',
  'P-256': 'P-256',
  secp384r1: 'P-384',
  'P-384': 'P-384',
};

/** The KeySpec of a key, or `UNSUPPORTED_KEY`. */
function keySpecOf(key: KeyObject): KeySpec {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') return { type: 'rsa', bits: details.modulusLength ?? 0 };
  const curve = curveNames[details.namedCurve ?? ''];
  if (key.asymmetricKeyType === 'ec' && curve !== undefined) return { type: 'ec', curve };
  throw new SecurityError(
    'UNSUPPORTED_KEY',
    `Only RSA and ECDSA P-256/P-384 keys are supported; got ${key.asymmetricKeyType} ${details.namedCurve ?? ''}`.trim(),
  );
}

function assertKeySpec(spec: KeySpec): void {
  if (
    spec.type === 'rsa' &&
    (!Number.isInteger(spec.bits) || spec.bits < 2048 || spec.bits > 8192 || spec.bits % 8 !== 0)
  ) {
    throw new SecurityError(
      'UNSUPPORTED_KEY',
      `RSA keys must be 2048-8192 bits, a multiple of 8 (A00.FR.502); got ${spec.bits}`,
    );
  }
  if (spec.type === 'ec' && spec.curve !== 'P-256' && spec.curve !== 'P-384') {
    throw new SecurityError(
      'UNSUPPORTED_KEY',
      `EC curve must be P-256 or P-384; got ${String(spec.curve)}`,
    );
  }
  if (spec.type !== 'ec' && spec.type !== 'rsa') {
    throw new SecurityError('UNSUPPORTED_KEY', 'Key type must be "ec" or "rsa"');
  }
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
