// Differential test of chain validation: every chain below is built by the openssl CLI, verified
// by `openssl verify -x509_strict -purpose sslclient`, and by `validateCertificateSigned`. Both
// must agree, except where the whitepaper adds a rule openssl does not know (`whitepaper`).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ChainRejectionReason, validateCertificateSigned } from './chain.js';
import { openssl, tempDir } from './test-helpers/openssl.js';

let dir: { path: string; remove: () => Promise<void> };
beforeAll(async () => {
  dir = await tempDir('rfc5280');
});
afterAll(() => dir.remove());

type KeyKind = 'ec' | 'ec384' | 'rsa2048' | 'rsa1024';
interface Made {
  readonly name: string;
  readonly pem: string;
  /** File of its private key (a twin shares its original's). */
  readonly key: string;
}
interface CertSpec {
  readonly subject: string;
  readonly issuer?: Made;
  /** extension lines; a line `key=...` replaces the default of that key, `key=` drops it. */
  readonly ext?: readonly string[];
  readonly key?: KeyKind;
  /** Reuse the key of an earlier certificate (for twins with another subject encoding). */
  readonly keyOf?: Made;
  readonly digest?: 'sha256' | 'sha384' | 'sha1' | 'md5';
  readonly mask?: 'utf8only' | 'default';
  readonly sigopt?: readonly string[];
}

const caDefaults = [
  'basicConstraints=critical,CA:TRUE',
  'keyUsage=critical,keyCertSign,cRLSign',
  'subjectKeyIdentifier=hash',
  'authorityKeyIdentifier=keyid:always',
];
const leafDefaults = [
  'basicConstraints=critical,CA:FALSE',
  'keyUsage=critical,digitalSignature',
  'extendedKeyUsage=clientAuth',
  'subjectKeyIdentifier=hash',
  'authorityKeyIdentifier=keyid:always',
];

const keyArgs: Record<KeyKind, string[]> = {
  ec: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  ec384: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
  rsa2048: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
  rsa1024: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024'],
};

let serial = 1;
async function make(name: string, spec: CertSpec, defaults: readonly string[]): Promise<Made> {
  const lines = new Map(defaults.map((l) => [l.slice(0, l.indexOf('=')), l] as const));
  for (const l of spec.ext ?? []) {
    const key = l.slice(0, l.indexOf('='));
    if (l.endsWith('=')) lines.delete(key);
    else lines.set(key, l);
  }
  if (spec.issuer === undefined)
    lines.set('authorityKeyIdentifier', 'authorityKeyIdentifier=keyid');
  const cnf = `[req]\ndistinguished_name=dn\nstring_mask=${spec.mask ?? 'utf8only'}\nutf8=yes\n[dn]\n[v3]\n${[...lines.values()].join('\n')}\n`;
  await writeFile(join(dir.path, `${name}.cnf`), cnf);
  const key = spec.keyOf === undefined ? `${name}.key` : spec.keyOf.key;
  if (spec.keyOf === undefined)
    await openssl(['genpkey', ...keyArgs[spec.key ?? 'ec'], '-out', key], dir.path);
  const common = [`-${spec.digest ?? 'sha256'}`, '-days', '30', '-set_serial', String(serial++)];
  const sigopt = (spec.sigopt ?? []).flatMap((o) => ['-sigopt', o]);
  if (spec.issuer === undefined) {
    await openssl(
      [
        'req',
        '-x509',
        '-new',
        '-key',
        key,
        '-subj',
        spec.subject,
        '-config',
        `${name}.cnf`,
        '-extensions',
        'v3',
        ...common,
        ...sigopt,
        '-out',
        `${name}.pem`,
      ],
      dir.path,
    );
  } else {
    await openssl(
      [
        'req',
        '-new',
        '-key',
        key,
        '-subj',
        spec.subject,
        '-config',
        `${name}.cnf`,
        '-out',
        `${name}.csr`,
      ],
      dir.path,
    );
    await openssl(
      [
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        `${spec.issuer.name}.pem`,
        '-CAkey',
        spec.issuer.key,
        '-extfile',
        `${name}.cnf`,
        '-extensions',
        'v3',
        ...common,
        ...sigopt,
        '-out',
        `${name}.pem`,
      ],
      dir.path,
    );
  }
  return { name, key, pem: await readFile(join(dir.path, `${name}.pem`), 'utf8') };
}

const ca = (name: string, spec: CertSpec) => make(name, spec, caDefaults);
const leafOf = (name: string, spec: Omit<CertSpec, 'subject'> & { subject?: string }) =>
  make(name, { subject: '/O=ACME/CN=CP-0001', ...spec }, leafDefaults);

interface Built {
  readonly anchor: Made;
  /** Leaf first, then the intermediates. */
  readonly chain: readonly Made[];
}

interface Case {
  readonly name: string;
  readonly build: (id: string) => Promise<Built>;
  /** Our reason where openssl refuses too (documents what we say). */
  readonly reason?: ChainRejectionReason;
  /** A whitepaper (or charge-point) rule openssl does not know: we refuse with this reason. */
  readonly whitepaper?: ChainRejectionReason;
}

/** root -> [intermediates...] -> leaf, each with its own overrides. */
function chainOf(
  subs: readonly Partial<CertSpec>[],
  leaf: Partial<CertSpec> = {},
  root: Partial<CertSpec> = {},
): (id: string) => Promise<Built> {
  return async (id) => {
    const anchor = await ca(`${id}-root`, { subject: '/O=ACME/CN=ACME Root', ...root });
    let issuer = anchor;
    const made: Made[] = [];
    for (const [i, sub] of subs.entries()) {
      issuer = await ca(`${id}-sub${i}`, { subject: `/O=ACME/CN=ACME Sub ${i}`, issuer, ...sub });
      made.unshift(issuer);
    }
    const end = await leafOf(`${id}-leaf`, { issuer, ...leaf });
    return { anchor, chain: [end, ...made] };
  };
}

/** root -> sub with nameConstraints `constraint` (plus config sections after it) -> leaf. */
const constrained = (constraint: string, leaf: Partial<CertSpec>, ...sections: string[]) =>
  chainOf([{ ext: [`nameConstraints=critical,${constraint}`, ...sections] }], leaf);
const san = (value: string): Partial<CertSpec> => ({ ext: [`subjectAltName=${value}`] });

/** A trust anchor and a twin (same key, other subject bytes) that actually issued the chain. */
function twinOf(anchorSubject: string, twinSubject: string, twinMask: 'utf8only' | 'default') {
  return async (id: string): Promise<Built> => {
    const anchor = await ca(`${id}-root`, { subject: anchorSubject, mask: 'utf8only' });
    const twin = await ca(`${id}-twin`, { subject: twinSubject, keyOf: anchor, mask: twinMask });
    const sub = await ca(`${id}-sub`, { subject: '/O=ACME/CN=ACME Sub', issuer: twin });
    const end = await leafOf(`${id}-leaf`, { issuer: sub });
    return { anchor, chain: [end, sub] };
  };
}

const cases: Case[] = [
  { name: 'root -> leaf', build: chainOf([]) },
  { name: 'root -> sub -> leaf', build: chainOf([{}]) },
  {
    name: 'root -> sub (pathlen 1) -> sub (pathlen 0) -> leaf',
    build: chainOf([
      { ext: ['basicConstraints=critical,CA:TRUE,pathlen:1'] },
      { ext: ['basicConstraints=critical,CA:TRUE,pathlen:0'] },
    ]),
  },
  {
    name: 'pathlen 0 sub with another sub below it',
    build: chainOf([{ ext: ['basicConstraints=critical,CA:TRUE,pathlen:0'] }, {}]),
    reason: 'PathLengthExceeded',
  },
  {
    name: 'pathlen 1 sub with two subs below it',
    build: chainOf([{ ext: ['basicConstraints=critical,CA:TRUE,pathlen:1'] }, {}, {}]),
    reason: 'PathLengthExceeded',
  },
  {
    name: 'root with pathlen 0 above a sub',
    build: chainOf([{}], {}, { ext: ['basicConstraints=critical,CA:TRUE,pathlen:0'] }),
    reason: 'PathLengthExceeded',
  },
  {
    name: 'sub without basicConstraints',
    build: chainOf([{ ext: ['basicConstraints='] }]),
    reason: 'NotCertificateAuthority',
  },
  {
    name: 'sub with CA:FALSE',
    build: chainOf([{ ext: ['basicConstraints=critical,CA:FALSE'] }]),
    reason: 'NotCertificateAuthority',
  },
  {
    name: 'sub whose keyUsage lacks keyCertSign',
    build: chainOf([{ ext: ['keyUsage=critical,digitalSignature,cRLSign'] }]),
    reason: 'NotCertificateAuthority',
  },
  {
    name: 'sub with basicConstraints not critical',
    build: chainOf([{ ext: ['basicConstraints=CA:TRUE'] }]),
    reason: 'NotCertificateAuthority',
  },
  {
    name: 'sub without keyUsage',
    build: chainOf([{ ext: ['keyUsage='] }]),
    reason: 'NotCertificateAuthority',
  },
  {
    name: 'leaf with extendedKeyUsage serverAuth only',
    build: chainOf([{}], { ext: ['extendedKeyUsage=serverAuth'] }),
    reason: 'ExtendedKeyUsage',
  },
  {
    name: 'leaf with extendedKeyUsage clientAuth and serverAuth',
    build: chainOf([{}], { ext: ['extendedKeyUsage=clientAuth,serverAuth'] }),
  },
  { name: 'leaf without extendedKeyUsage', build: chainOf([{}], { ext: ['extendedKeyUsage='] }) },
  {
    name: 'leaf with extendedKeyUsage codeSigning only',
    build: chainOf([{}], { ext: ['extendedKeyUsage=codeSigning'] }),
    reason: 'ExtendedKeyUsage',
  },
  {
    name: 'sub with extendedKeyUsage serverAuth only',
    build: chainOf([{ ext: ['extendedKeyUsage=serverAuth'] }]),
    reason: 'ExtendedKeyUsage',
  },
  {
    name: 'sub with extendedKeyUsage clientAuth',
    build: chainOf([{ ext: ['extendedKeyUsage=clientAuth'] }]),
  },
  {
    name: 'leaf with an unknown critical extension',
    build: chainOf([{}], { ext: ['1.2.3.4=critical,ASN1:NULL'] }),
    reason: 'UnknownCriticalExtension',
  },
  {
    name: 'sub with an unknown critical extension',
    build: chainOf([{ ext: ['1.2.3.4=critical,ASN1:NULL'] }]),
    reason: 'UnknownCriticalExtension',
  },
  {
    name: 'root with an unknown critical extension',
    build: chainOf([{}], {}, { ext: ['1.2.3.4=critical,ASN1:NULL'] }),
    reason: 'UnknownCriticalExtension',
  },
  {
    name: 'leaf with an unknown non-critical extension',
    build: chainOf([{}], { ext: ['1.2.3.4=ASN1:NULL'] }),
  },
  {
    name: 'leaf whose keyUsage is keyEncipherment only',
    build: chainOf([{}], { ext: ['keyUsage=critical,keyEncipherment'] }),
    reason: 'KeyUsage',
  },
  { name: 'leaf without keyUsage', build: chainOf([{}], { ext: ['keyUsage='] }) },
  {
    name: 'nameConstraints permitted DNS, leaf SAN inside',
    build: constrained('permitted;DNS:example.com', san('DNS:cp.example.com')),
  },
  {
    name: 'nameConstraints permitted DNS, leaf SAN outside',
    build: constrained('permitted;DNS:example.com', san('DNS:cp.evil.com')),
    reason: 'NameConstraintsViolation',
  },
  {
    name: 'nameConstraints excluded DNS, leaf SAN inside it',
    build: constrained('excluded;DNS:evil.com', san('DNS:x.evil.com')),
    reason: 'NameConstraintsViolation',
  },
  {
    name: 'nameConstraints excluded DNS, leaf SAN elsewhere',
    build: constrained('excluded;DNS:evil.com', san('DNS:good.com')),
  },
  {
    name: 'nameConstraints permitted directoryName, leaf subject inside',
    build: constrained(
      'permitted;dirName:nc_dn',
      { subject: '/C=DE/O=ACME/CN=CP-0001' },
      '[nc_dn]',
      'C=DE',
      'O=ACME',
    ),
  },
  {
    name: 'nameConstraints permitted directoryName, leaf subject outside',
    build: constrained(
      'permitted;dirName:nc_dn',
      { subject: '/C=FR/O=ACME/CN=CP-0001' },
      '[nc_dn]',
      'C=DE',
      'O=ACME',
    ),
    reason: 'NameConstraintsViolation',
  },
  {
    name: 'nameConstraints permitted IP, leaf SAN inside',
    build: constrained('permitted;IP:10.0.0.0/255.0.0.0', san('IP:10.1.2.3')),
  },
  {
    name: 'nameConstraints permitted IP, leaf SAN outside',
    build: constrained('permitted;IP:10.0.0.0/255.0.0.0', san('IP:192.168.1.1')),
    reason: 'NameConstraintsViolation',
  },
  {
    name: 'nameConstraints on the root, leaf SAN outside',
    build: chainOf([{}], san('DNS:cp.evil.com'), {
      ext: ['nameConstraints=critical,permitted;DNS:example.com'],
    }),
    reason: 'NameConstraintsViolation',
  },
  {
    name: 'issuer name as PrintableString, trusted root as UTF8String (RFC 5280 §7.1)',
    build: twinOf('/O=ACME/CN=ACME Root', '/O=ACME/CN=ACME Root', 'default'),
  },
  {
    name: 'issuer name in other case than the trusted root (RFC 5280 §7.1)',
    build: twinOf('/O=ACME/CN=ACME Root', '/O=acme/CN=acme root', 'utf8only'),
  },
  {
    name: 'issuer name with other inner spacing than the trusted root (RFC 5280 §7.1)',
    build: twinOf('/O=ACME/CN=ACME Root', '/O=ACME/CN=ACME   Root', 'utf8only'),
  },
  {
    name: 'issuer name differs from the trusted root',
    build: twinOf('/O=ACME/CN=ACME Root', '/O=ACME/CN=ACME Root 2', 'utf8only'),
    reason: 'IssuerNotFound',
  },
  {
    name: 'RSA 2048 chain',
    build: chainOf([{ key: 'rsa2048' }], { key: 'rsa2048' }, { key: 'rsa2048' }),
  },
  {
    name: 'RSA-PSS signatures',
    build: chainOf(
      [{ key: 'rsa2048', sigopt: ['rsa_padding_mode:pss', 'rsa_pss_saltlen:32'] }],
      { sigopt: ['rsa_padding_mode:pss', 'rsa_pss_saltlen:32'] },
      { key: 'rsa2048', sigopt: ['rsa_padding_mode:pss', 'rsa_pss_saltlen:32'] },
    ),
  },
  {
    name: 'P-384 chain with SHA-384',
    build: chainOf(
      [{ key: 'ec384', digest: 'sha384' }],
      { key: 'ec384', digest: 'sha384' },
      {
        key: 'ec384',
        digest: 'sha384',
      },
    ),
  },
  {
    name: 'leaf signed with SHA-1',
    build: chainOf([{}], { digest: 'sha1' }),
    whitepaper: 'WeakSignatureAlgorithm',
  },
  {
    name: 'sub signed with SHA-1',
    build: chainOf([{ digest: 'sha1' }]),
    whitepaper: 'WeakSignatureAlgorithm',
  },
  {
    name: 'leaf signed with MD5 by an RSA sub',
    build: chainOf([{ key: 'rsa2048' }], { digest: 'md5' }, { key: 'rsa2048' }),
    whitepaper: 'WeakSignatureAlgorithm',
  },
  {
    name: 'RSA 1024 leaf key (A00.FR.502)',
    build: chainOf([{}], { key: 'rsa1024' }),
    whitepaper: 'WeakKey',
  },
  {
    name: 'a CA certificate as the charge point certificate',
    build: chainOf([{}], { ext: ['basicConstraints=critical,CA:TRUE'] }),
    whitepaper: 'LeafIsCertificateAuthority',
  },
  {
    name: 'leaf O is not the CpoName (A00.FR.509)',
    build: chainOf([{}], { subject: '/O=Evil CPO/CN=CP-0001' }),
    whitepaper: 'SubjectMismatch',
  },
  {
    name: 'leaf CN is not the serial number (A00.FR.511)',
    build: chainOf([{}], { subject: '/O=ACME/CN=CP-0002' }),
    whitepaper: 'SubjectMismatch',
  },
];

async function opensslAccepts(built: Built, id: string): Promise<boolean> {
  const [leaf, ...subs] = built.chain as [Made, ...Made[]];
  await writeFile(join(dir.path, `${id}-untrusted.pem`), subs.map((s) => s.pem).join(''));
  const args = [
    'verify',
    '-x509_strict',
    '-purpose',
    'sslclient',
    '-CAfile',
    `${built.anchor.name}.pem`,
  ];
  if (subs.length > 0) args.push('-untrusted', `${id}-untrusted.pem`);
  try {
    const out = await openssl([...args, `${leaf.name}.pem`], dir.path);
    return out.includes(': OK');
  } catch {
    return false;
  }
}

describe('RFC 5280 path validation agrees with openssl verify -x509_strict', () => {
  test(`${cases.length} crafted chains`, async () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    const rows: string[] = [];
    for (const [i, c] of cases.entries()) {
      const id = `c${i}`;
      const built = await c.build(id);
      const leaf = built.chain[0] as Made;
      const ours = validateCertificateSigned({
        certificateChain: built.chain.map((m) => m.pem).join(''),
        centralSystemRoots: [built.anchor.pem],
        csrPublicKey: await readFile(join(dir.path, leaf.key), 'utf8'),
        cpoName: 'ACME',
        serialNumber: 'CP-0001',
      });
      const theirs = await opensslAccepts(built, id);
      const expected =
        c.whitepaper !== undefined
          ? { status: 'Rejected', reason: c.whitepaper }
          : theirs
            ? { status: 'Accepted' }
            : { status: 'Rejected', ...(c.reason === undefined ? {} : { reason: c.reason }) };
      const got =
        ours.status === 'Accepted'
          ? { status: 'Accepted' }
          : { status: 'Rejected', reason: ours.reason };
      if (JSON.stringify(got) !== JSON.stringify({ ...got, ...expected })) {
        rows.push(
          `${c.name}: openssl ${theirs ? 'OK' : 'refused'}, ours ${JSON.stringify(ours.status === 'Accepted' ? 'OK' : ours)}`,
        );
      }
      // A case marked with an openssl-side reason must really be refused by openssl.
      if (c.reason !== undefined && c.whitepaper === undefined && theirs) {
        rows.push(`${c.name}: openssl accepted a chain the case expects it to refuse`);
      }
    }
    expect(rows).toEqual([]);
  }, 180_000);
});
