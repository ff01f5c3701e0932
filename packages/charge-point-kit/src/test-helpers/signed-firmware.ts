import { sign } from 'node:crypto';
import type { Firmware } from '@ocpp-kit/messages';
import type { TestPki } from '@ocpp-kit/security/testing';

/** A SignedUpdateFirmware `firmware` for `image` at `location`, signed by the PKI's firmware signer (ECDSA, SHA-256). */
export function signedFirmware(
  pki: TestPki,
  image: Buffer,
  location: string,
  extra: Partial<Firmware> = {},
): Firmware {
  return {
    location,
    retrieveDateTime: new Date().toISOString(),
    signingCertificate: pki.firmwareSigner.certificatePem,
    signature: sign('sha256', image, pki.firmwareSigner.privateKeyPem).toString('base64'),
    ...extra,
  };
}
