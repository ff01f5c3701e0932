// The one place that loads @peculiar/x509. It is imported lazily, so importing
// `@ocpp-kit/security` (or `/authorization-key`) never pulls in the X.509 library or installs the
// `reflect-metadata` polyfill; only CSR creation and certificate issuance pay for it.
type X509Module = typeof import('@peculiar/x509');

let loading: Promise<X509Module> | undefined;

/** Loads `reflect-metadata` (required first by @peculiar/x509 2.x), then the library, once. */
export function loadX509(): Promise<X509Module> {
  loading ??= import('reflect-metadata').then(() => import('@peculiar/x509'));
  return loading;
}
