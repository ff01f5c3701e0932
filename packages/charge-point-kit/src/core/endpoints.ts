import type { ClientTlsOptions, SecurityProfile } from '@ocpp-kit/rpc-core';
import type { CertificateStore } from '@ocpp-kit/security';
import type { ConfigurationStore } from '../config/configuration-store.js';
import type { Endpoint } from './connection.js';

/** The CSMS endpoints of the charge point's options. */
export interface EndpointOptions {
  readonly csms: string | readonly string[];
  /** Endpoints of the profiles the charge point may be raised to (A05), where `csms` cannot serve. */
  readonly csmsByProfile?: Partial<Record<SecurityProfile, string | readonly string[]>>;
  /** Factory TLS settings: `ca` trusted besides the installed roots, `cert`/`key` until one is signed. */
  readonly tls?: ClientTlsOptions;
}

const list = (urls: string | readonly string[] | undefined): readonly string[] =>
  urls === undefined ? [] : typeof urls === 'string' ? [urls] : urls;

/** The PEMs of a TLS option (a string, a Buffer or a list of them). */
export const pems = (value: ClientTlsOptions['ca']): string[] => {
  if (value === undefined) return [];
  const all = Array.isArray(value) ? value : [value];
  return all.map((v) => (typeof v === 'string' ? v : Buffer.from(v as Uint8Array).toString()));
};

/**
 * How to reach the CSMS with each security profile (whitepaper §2): its URLs (ws:// for 0/1,
 * wss:// for 2/3), the TLS trust (the installed CentralSystemRootCertificates plus the factory
 * `ca`) and, for 3, the charge point certificate (the newest signed one, else the factory one).
 * A profile whose prerequisites are missing (A05.FR.02-04) has a refusal instead.
 */
export class Endpoints {
  readonly #options: EndpointOptions;
  readonly #config: ConfigurationStore;
  readonly #certificates: () => CertificateStore;

  constructor(
    options: EndpointOptions,
    config: ConfigurationStore,
    certificates: () => CertificateStore,
  ) {
    this.#options = options;
    this.#config = config;
    this.#certificates = certificates;
  }

  /** The endpoint of the profile in force. Throws when its prerequisites are gone. */
  current(): Endpoint {
    const profile = this.#config.get('SecurityProfile') as SecurityProfile;
    const endpoint = this.forProfile(profile);
    if ('refusal' in endpoint) throw new Error(`Security profile ${profile}: ${endpoint.refusal}`);
    return endpoint;
  }

  forProfile(profile: SecurityProfile): Endpoint | { readonly refusal: string } {
    const tlsProfile = profile >= 2;
    const fits = (url: string) => url.startsWith(tlsProfile ? 'wss://' : 'ws://');
    const own = list(this.#options.csmsByProfile?.[profile]);
    const urls = own.length > 0 ? own : list(this.#options.csms).filter(fits);
    if (urls.length === 0 || !urls.every(fits)) {
      return {
        refusal: `no ${tlsProfile ? 'wss://' : 'ws://'} CSMS endpoint for security profile ${profile} (csmsByProfile)`,
      };
    }
    if ((profile === 1 || profile === 2) && this.#config.get('AuthorizationKey') === '')
      return { refusal: 'AuthorizationKey is not set (A05.FR.02)' };
    if (!tlsProfile) return { urls, securityProfile: profile };
    const { ca, cert, key, ...rest } = this.#options.tls ?? {};
    const store = this.#certificates();
    const roots = [...store.trustedRoots('CentralSystemRootCertificate'), ...pems(ca)];
    if (roots.length === 0)
      return { refusal: 'no CentralSystemRootCertificate is installed (A05.FR.03)' };
    if (profile === 2) return { urls, securityProfile: profile, tls: { ...rest, ca: roots } };
    const signed = store.chargePointCredentials();
    const credentials =
      signed !== undefined
        ? { cert: signed.chainPem, key: signed.privateKeyPem }
        : cert !== undefined && key !== undefined
          ? { cert, key }
          : undefined;
    if (credentials === undefined)
      return { refusal: 'no valid ChargePointCertificate is installed (A05.FR.04)' };
    return { urls, securityProfile: profile, tls: { ...rest, ca: roots, ...credentials } };
  }
}
