import type { TestPki } from '@ocpp-kit/security/testing';
import { startTestCsms } from './test-csms.js';

export const testAuthorizationKey = Buffer.from('00112233445566778899AABBCCDDEEFF', 'hex');
export const testAuthorizationKeyHex = testAuthorizationKey.toString('hex').toUpperCase();

/**
 * Scripted CSMSs on 127.0.0.1 for the security profiles (whitepaper §2): 1 checks the
 * AuthorizationKey `key`, 2 adds TLS with the PKI's ECDSA server certificate, 3 requires a
 * client certificate of the PKI (O = cpoName). `url` is what `csmsByProfile` takes.
 */
export async function secureCsms(
  profile: 1 | 2 | 3,
  pki: TestPki,
  key: () => Uint8Array | undefined = () => testAuthorizationKey,
) {
  const tls = {
    key: pki.server.ecdsa.privateKeyPem,
    cert: pki.server.ecdsa.chainPem,
    ...(profile === 3 ? { ca: pki.root.certificatePem } : {}),
  };
  const csms = await startTestCsms({
    securityProfile: profile,
    ...(profile === 1 || profile === 2 ? { authorizationKey: () => key() } : {}),
    ...(profile >= 2 ? { tls } : {}),
    ...(profile === 3 ? { cpoName: 'Test CPO' } : {}),
  });
  const url = profile >= 2 ? csms.url.replace('ws://', 'wss://') : csms.url;
  return { ...csms, url };
}
