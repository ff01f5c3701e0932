// The CSMS's own PKI in the data directory, made on first start: a CPO root, a sub-CA that signs
// charge point CSRs (A02/A03) and the server certificates of profiles 2/3 (one RSA and one ECDSA,
// for all four A00.FR.317 cipher suites). Private keys are written 0600.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CertificateAuthority,
  generateKeyPair,
  issueCertificate,
  type KeyAndCertificate,
  type KeySpec,
} from '@ocpp-kit/security';

export interface Authority {
  /** CentralSystemRootCertificate: install it on charge points (InstallCertificate, §M05). */
  readonly root: KeyAndCertificate;
  readonly subCa: CertificateAuthority;
  /** Server TLS options for profiles 2/3: both certificates with their chains. */
  readonly serverTls: { readonly key: string[]; readonly cert: string[] };
  readonly rootFile: string;
}

const years = (n: number) => new Date(Date.now() + n * 365 * 86_400_000);

/** Writes atomically (temp + rename); keys readable by the owner only. */
function writeFile(file: string, content: string, secret: boolean): void {
  const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, content, { mode: secret ? 0o600 : 0o644 });
  renameSync(temp, file);
}

async function issued(
  profile: 'subCa' | 'centralSystem',
  issuer: KeyAndCertificate,
  subject: { organizationName: string; commonName: string },
  key: KeySpec,
  subjectAltNames?: readonly string[],
): Promise<KeyAndCertificate> {
  const pair = await generateKeyPair(key);
  const certificatePem = await issueCertificate({
    profile,
    subject,
    publicKeyPem: pair.publicKeyPem,
    issuer,
    notAfter: years(profile === 'subCa' ? 5 : 2),
    ...(subjectAltNames === undefined ? {} : { subjectAltNames }),
  });
  return { certificatePem, privateKeyPem: pair.privateKeyPem };
}

/** Loads the authority from `dir/ca`, creating it first when absent. */
export async function loadOrCreateAuthority(
  dataDir: string,
  cpoName: string,
  hostname: string,
): Promise<Authority> {
  const dir = join(dataDir, 'ca');
  const names = ['root', 'sub-ca', 'server-rsa', 'server-ecdsa'] as const;
  const file = (name: string, part: 'pem' | 'key') => join(dir, `${name}.${part}`);
  if (!names.every((n) => existsSync(file(n, 'pem')) && existsSync(file(n, 'key')))) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const rootPair = await generateKeyPair({ type: 'ec', curve: 'P-256' });
    const root: KeyAndCertificate = {
      privateKeyPem: rootPair.privateKeyPem,
      certificatePem: await issueCertificate({
        profile: 'root',
        subject: { organizationName: cpoName, commonName: `${cpoName} Root CA` },
        publicKeyPem: rootPair.publicKeyPem,
        selfSigningKeyPem: rootPair.privateKeyPem,
        notAfter: years(10),
      }),
    };
    const subCa = await issued(
      'subCa',
      root,
      { organizationName: cpoName, commonName: `${cpoName} Sub-CA` },
      { type: 'ec', curve: 'P-256' },
    );
    const altNames = [hostname, '127.0.0.1', '::1'];
    const subject = { organizationName: cpoName, commonName: hostname };
    const [rsa, ecdsa] = await Promise.all([
      issued('centralSystem', subCa, subject, { type: 'rsa', bits: 2048 }, altNames),
      issued('centralSystem', subCa, subject, { type: 'ec', curve: 'P-256' }, altNames),
    ]);
    const made = { root, 'sub-ca': subCa, 'server-rsa': rsa, 'server-ecdsa': ecdsa };
    for (const name of names) {
      writeFile(file(name, 'key'), made[name].privateKeyPem, true);
      writeFile(file(name, 'pem'), made[name].certificatePem, false);
    }
  }
  const load = (name: string): KeyAndCertificate => ({
    certificatePem: readFileSync(file(name, 'pem'), 'utf8'),
    privateKeyPem: readFileSync(file(name, 'key'), 'utf8'),
  });
  const root = load('root');
  const subCa = load('sub-ca');
  const rsa = load('server-rsa');
  const ecdsa = load('server-ecdsa');
  return {
    root,
    subCa,
    serverTls: {
      key: [rsa.privateKeyPem, ecdsa.privateKeyPem],
      cert: [
        rsa.certificatePem + subCa.certificatePem,
        ecdsa.certificatePem + subCa.certificatePem,
      ],
    },
    rootFile: file('root', 'pem'),
  };
}
