// X.501 names as RFC 5280 compares them (§7.1: after the RFC 4518 string preparation, so a
// PrintableString and a UTF8String issuer with the same text match, case and inner spacing
// aside) and the name constraints of §4.2.1.10 for the name forms a charge point chain uses.
import { children, content, decodeOid, decodeString, derTag, encoding, type Tlv } from './der.js';
import { SecurityError } from './errors.js';

/** A Name as comparable RDN keys, most significant first. */
export type CanonicalName = readonly string[];

/** RFC 4518 §2, as openssl applies it: trim, collapse inner white space, fold ASCII case. */
function prepare(text: string): string {
  return text
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** One RDN key per RelativeDistinguishedName; multi-valued RDNs are sorted within. */
export function canonicalName(der: Uint8Array, name: Tlv): CanonicalName {
  return children(der, name).map((rdn) => {
    if (rdn.tag !== derTag.set) {
      throw new SecurityError('MALFORMED_CERTIFICATE', 'Name holds a non-SET RDN');
    }
    const atvs = children(der, rdn).map((atv) => {
      const [type, value] = children(der, atv);
      if (type?.tag !== derTag.oid || value === undefined) {
        throw new SecurityError('MALFORMED_CERTIFICATE', 'Malformed AttributeTypeAndValue');
      }
      const text = decodeString(value.tag, content(der, value));
      const key =
        text === undefined
          ? `#${Buffer.from(encoding(der, value)).toString('hex')}`
          : `=${prepare(text)}`;
      return `${decodeOid(content(der, type))}${key}`;
    });
    return atvs.sort().join('+');
  });
}

export function sameName(a: CanonicalName, b: CanonicalName): boolean {
  return a.length === b.length && a.every((rdn, i) => rdn === b[i]);
}

/** subjectAltName entries the constraints check (other forms are counted, not read). */
export interface AltNames {
  readonly dns: readonly string[];
  /** 4 or 16 address bytes. */
  readonly ip: readonly Uint8Array[];
  readonly directory: readonly CanonicalName[];
  /** rfc822Name, URI and other forms present. */
  readonly other: number;
}

export type Subtree =
  | { readonly form: 'dns'; readonly name: string }
  | { readonly form: 'ip'; readonly address: Uint8Array; readonly mask: Uint8Array }
  | { readonly form: 'directory'; readonly name: CanonicalName }
  | { readonly form: 'other'; readonly tag: number };

export interface NameConstraints {
  readonly permitted: readonly Subtree[];
  readonly excluded: readonly Subtree[];
}

const latin1 = new TextDecoder('latin1');

/** GeneralNames (subjectAltName's value). */
export function parseAltNames(der: Uint8Array, sequence: Tlv): AltNames {
  const dns: string[] = [];
  const ip: Uint8Array[] = [];
  const directory: CanonicalName[] = [];
  let other = 0;
  for (const name of children(der, sequence)) {
    if (name.tag === 0x82) dns.push(latin1.decode(content(der, name)).toLowerCase());
    else if (name.tag === 0x87) ip.push(content(der, name));
    else if (name.tag === 0xa4) {
      const inner = children(der, name)[0];
      if (inner === undefined)
        throw new SecurityError('MALFORMED_CERTIFICATE', 'Empty directoryName');
      directory.push(canonicalName(der, inner));
    } else other++;
  }
  return { dns, ip, directory, other };
}

/** NameConstraints ::= SEQUENCE { permittedSubtrees [0], excludedSubtrees [1] }. */
export function parseNameConstraints(der: Uint8Array, sequence: Tlv): NameConstraints {
  const permitted: Subtree[] = [];
  const excluded: Subtree[] = [];
  for (const part of children(der, sequence)) {
    const into = part.tag === 0xa0 ? permitted : part.tag === 0xa1 ? excluded : undefined;
    if (into === undefined) {
      throw new SecurityError('MALFORMED_CERTIFICATE', 'NameConstraints holds an unknown field');
    }
    for (const subtree of children(der, part)) {
      const [base, ...bounds] = children(der, subtree);
      if (base === undefined || bounds.length > 0) {
        // §4.2.1.10: minimum MUST be zero and maximum MUST be absent.
        throw new SecurityError(
          'MALFORMED_CERTIFICATE',
          'A GeneralSubtree with minimum/maximum is not allowed (RFC 5280 §4.2.1.10)',
        );
      }
      into.push(subtreeOf(der, base));
    }
  }
  return { permitted, excluded };
}

function subtreeOf(der: Uint8Array, base: Tlv): Subtree {
  if (base.tag === 0x82)
    return { form: 'dns', name: latin1.decode(content(der, base)).toLowerCase() };
  if (base.tag === 0x87) {
    const bytes = content(der, base);
    if (bytes.length !== 8 && bytes.length !== 32) {
      throw new SecurityError('MALFORMED_CERTIFICATE', 'iPAddress constraint is not address+mask');
    }
    const half = bytes.length / 2;
    return { form: 'ip', address: bytes.subarray(0, half), mask: bytes.subarray(half) };
  }
  if (base.tag === 0xa4) {
    const inner = children(der, base)[0];
    if (inner === undefined)
      throw new SecurityError('MALFORMED_CERTIFICATE', 'Empty directoryName');
    return { form: 'directory', name: canonicalName(der, inner) };
  }
  return { form: 'other', tag: base.tag };
}

function dnsWithin(name: string, constraint: string): boolean {
  if (constraint === '') return true;
  if (constraint.startsWith('.')) return name.endsWith(constraint);
  return name === constraint || name.endsWith(`.${constraint}`);
}

function ipWithin(address: Uint8Array, subtree: Extract<Subtree, { form: 'ip' }>): boolean {
  if (address.length !== subtree.address.length) return false;
  return address.every(
    (b, i) =>
      (b & (subtree.mask[i] as number)) ===
      ((subtree.address[i] as number) & (subtree.mask[i] as number)),
  );
}

function directoryWithin(name: CanonicalName, constraint: CanonicalName): boolean {
  return constraint.length <= name.length && constraint.every((rdn, i) => rdn === name[i]);
}

/** The names of one certificate a CA's constraints apply to. */
export interface ConstrainedNames {
  readonly subject: CanonicalName;
  readonly altNames: AltNames | undefined;
}

/**
 * Why `names` break `constraints`, or undefined. Forms we do not evaluate (rfc822Name, URI, ...)
 * refuse the chain rather than pass unchecked.
 */
export function nameConstraintsProblem(
  constraints: NameConstraints,
  names: ConstrainedNames,
): string | undefined {
  const unsupported = [...constraints.permitted, ...constraints.excluded].find(
    (s): s is Extract<Subtree, { form: 'other' }> => s.form === 'other',
  );
  if (unsupported !== undefined) {
    return `a name constraint of form [${unsupported.tag & 0x1f}] is not supported; refusing rather than ignoring it`;
  }
  const alt = names.altNames;
  const candidates: Subtree[] = [
    ...(names.subject.length > 0 ? [{ form: 'directory', name: names.subject } as const] : []),
    ...(alt?.directory ?? []).map((name) => ({ form: 'directory', name }) as const),
    ...(alt?.dns ?? []).map((name) => ({ form: 'dns', name }) as const),
    ...(alt?.ip ?? []).map((address) => ({ form: 'ip', address, mask: address }) as const),
  ];
  const within = (name: Subtree, subtree: Subtree): boolean => {
    if (name.form === 'directory' && subtree.form === 'directory')
      return directoryWithin(name.name, subtree.name);
    if (name.form === 'dns' && subtree.form === 'dns') return dnsWithin(name.name, subtree.name);
    if (name.form === 'ip' && subtree.form === 'ip') return ipWithin(name.address, subtree);
    return false;
  };
  for (const name of candidates) {
    if (constraints.excluded.some((s) => within(name, s))) {
      return `${describe(name)} is in an excluded subtree`;
    }
    const sameForm = constraints.permitted.filter((s) => s.form === name.form);
    if (sameForm.length > 0 && !sameForm.some((s) => within(name, s))) {
      return `${describe(name)} is outside the permitted subtrees`;
    }
  }
  return undefined;
}

function describe(name: Subtree): string {
  switch (name.form) {
    case 'dns':
      return `DNS name "${name.name}"`;
    case 'ip': {
      const bytes = [...name.address];
      return `IP address ${bytes.length === 4 ? bytes.join('.') : Buffer.from(bytes).toString('hex')}`;
    }
    case 'directory':
      return `name "${name.name.join(', ')}"`;
    default:
      return 'a name';
  }
}
