// Test-only PKI built with the `openssl` CLI at test time (never shipped: excluded from the build).
// One call per test file keeps key generation off the per-test path.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KeyPair {
  readonly key: string;
  readonly cert: string;
}

export interface TestPki {
  /** The CPO root CA (whitepaper §2.6.2 Charge Point Operator hierarchy). */
  readonly ca: KeyPair;
  /** Central System certificates: RSA 2048 and ECDSA P-256 (A00.FR.317 needs both). */
  readonly serverRsa: KeyPair;
  readonly serverEc: KeyPair;
  /**
   * A charge point certificate signed by `ca`: CN = `commonName`, O = `organization`, an EC P-256
   * key unless `key` names another (weak ones included, to test A00.FR.502/503).
   */
  chargePoint(commonName: string, organization: string, key?: TestKeyType): KeyPair;
  /** A charge point certificate signed by an unrelated CA. */
  foreignChargePoint(commonName: string, organization: string): KeyPair;
  /** A self-signed charge point certificate. */
  selfSignedChargePoint(commonName: string, organization: string): KeyPair;
  /** Another Central System certificate (ECDSA), to test what the charge point refuses. */
  centralSystem(options: CentralSystemCertificateOptions): KeyPair;
  dispose(): void;
}

export type TestKeyType = 'ec-p256' | 'ec-p192' | 'rsa-1024' | 'rsa-2048';

export interface CentralSystemCertificateOptions {
  /** Issued by an unrelated root instead of `ca`. */
  readonly foreign?: boolean;
  /** Expired one day ago. */
  readonly expired?: boolean;
  /** The subjectAltName entries; default `IP:127.0.0.1,DNS:localhost`. */
  readonly altNames?: string;
}

const serverExtFor = (altNames: string) =>
  [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=serverAuth',
    // A00.FR.511 allows a subjectAltName for a Central System reachable over several paths.
    `subjectAltName=${altNames}`,
  ].join('\n');
const serverExt = serverExtFor('IP:127.0.0.1,DNS:localhost');
const clientExt = [
  'basicConstraints=critical,CA:FALSE',
  'keyUsage=critical,digitalSignature',
  'extendedKeyUsage=clientAuth',
].join('\n');
const caExt = ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'].join(
  '\n',
);

/** Creates a throw-away PKI in a temporary directory with `/usr/bin/openssl`. */
export function createTestPki(cpoName = 'Test CPO'): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'rpc-core-pki-'));
  let n = 0;
  const file = (name: string) => join(dir, `${n}-${name}`);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });

  const ecKey = (curve = 'P-256'): string => {
    n++;
    const path = file('ec.key');
    openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${curve}`, '-out', path);
    return path;
  };
  const rsaKey = (bits = 2048): string => {
    n++;
    const path = file('rsa.key');
    openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${bits}`, '-out', path);
    return path;
  };
  const keyOf = (type: TestKeyType): string => {
    if (type === 'ec-p192') return ecKey('P-192');
    if (type === 'rsa-1024') return rsaKey(1024);
    if (type === 'rsa-2048') return rsaKey(2048);
    return ecKey();
  };
  const selfSigned = (keyPath: string, subject: string, ext: string): KeyPair => {
    n++;
    const extPath = file('ext.cnf');
    writeFileSync(extPath, `[v3]\n${ext}\n`);
    const certPath = file('cert.pem');
    // biome-ignore format: one openssl invocation per line reads best
    openssl('req', '-x509', '-new', '-key', keyPath, '-subj', subject, '-days', '2', '-sha256',
      '-config', extPath, '-extensions', 'v3', '-out', certPath);
    return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8') };
  };
  const issue = (
    issuer: { keyPath: string; certPath: string },
    keyPath: string,
    subject: string,
    ext: string,
    days = 2,
  ): KeyPair => {
    n++;
    const csr = file('req.csr');
    const extPath = file('ext.cnf');
    const certPath = file('cert.pem');
    writeFileSync(extPath, ext);
    openssl('req', '-new', '-key', keyPath, '-subj', subject, '-out', csr);
    // A negative `-days` (OpenSSL 3.0 has no -not_after) ends validity before it starts: expired.
    // biome-ignore format: one openssl invocation per line reads best
    openssl('x509', '-req', '-in', csr, '-CA', issuer.certPath, '-CAkey', issuer.keyPath,
      '-set_serial', `0x${n.toString(16).padStart(2, '0')}${Date.now().toString(16)}`, '-days', String(days),
      '-sha256', '-extfile', extPath, '-out', certPath);
    return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8') };
  };
  const makeCa = (subject: string) => {
    const keyPath = ecKey();
    const pair = selfSigned(keyPath, subject, caExt);
    const certPath = file('ca.pem');
    writeFileSync(certPath, pair.cert);
    return { pair, keyPath, certPath };
  };

  const ca = makeCa(`/O=${cpoName}/CN=${cpoName} Root CA`);
  const foreign = makeCa('/O=Someone Else/CN=Foreign Root CA');
  const serverSubject = `/O=${cpoName}/CN=localhost`;
  const serverRsa = issue(ca, rsaKey(), serverSubject, serverExt);
  const serverEc = issue(ca, ecKey(), serverSubject, serverExt);
  const cpSubject = (cn: string, o: string) => `/O=${o}/CN=${cn}`;

  return {
    ca: ca.pair,
    serverRsa,
    serverEc,
    chargePoint: (cn, o, type = 'ec-p256') => issue(ca, keyOf(type), cpSubject(cn, o), clientExt),
    foreignChargePoint: (cn, o) => issue(foreign, ecKey(), cpSubject(cn, o), clientExt),
    selfSignedChargePoint: (cn, o) => selfSigned(ecKey(), cpSubject(cn, o), clientExt),
    centralSystem: ({ foreign: other = false, expired = false, altNames }) =>
      issue(
        other ? foreign : ca,
        ecKey(),
        serverSubject,
        altNames === undefined ? serverExt : serverExtFor(altNames),
        expired ? -1 : 2,
      ),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
