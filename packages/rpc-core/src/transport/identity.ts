// Charge point identity in the connection URL (OCPP-J 1.6 §3.1.1): the last path segment,
// percent-encoded by the client and decoded and validated by the server.

/** Longest identity accepted by default (OCPP 2.x caps identifiers at 48; 1.6 sets no limit). */
export const defaultMaxIdentityLength = 48;

/** Appends `/<identity>` to the endpoint URL's path, percent-encoding the identity (§3.1.1). */
export function connectionUrl(endpoint: string | URL, identity: string): URL {
  const url = new URL(endpoint);
  const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  url.pathname = `${path}${encodeURIComponent(identity)}`;
  return url;
}

/** Why an identity was refused; the server answers HTTP 400 (or 404 outside the endpoint path). */
export type IdentityProblem =
  | 'OutsideEndpoint'
  | 'BadEncoding'
  | 'Empty'
  | 'TooLong'
  | 'BadCharacter';

export type IdentityResult =
  | { readonly ok: true; readonly identity: string }
  | { readonly ok: false; readonly problem: IdentityProblem };

/** Control characters, and ':' which HTTP Basic usernames cannot contain (RFC 7617 §2). */
function hasForbiddenCharacter(identity: string): boolean {
  for (let i = 0; i < identity.length; i++) {
    const c = identity.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || c === 0x3a || c === 0x2f) return true;
  }
  return false;
}

/**
 * Reads the identity from a request target (`/ocpp/CP%20001?x=1`) under `basePath` (`/ocpp`).
 * Exactly one non-empty segment must follow the base path; it is percent-decoded once.
 */
export function identityFromRequestTarget(
  target: string,
  basePath: string,
  maxLength: number = defaultMaxIdentityLength,
): IdentityResult {
  const query = target.indexOf('?');
  const path = query === -1 ? target : target.slice(0, query);
  const base = basePath.endsWith('/') ? basePath : `${basePath}/`;
  if (!path.startsWith(base)) return { ok: false, problem: 'OutsideEndpoint' };
  const raw = path.slice(base.length);
  if (raw.includes('/')) return { ok: false, problem: 'OutsideEndpoint' };
  if (raw.length === 0) return { ok: false, problem: 'Empty' };
  let identity: string;
  try {
    identity = decodeURIComponent(raw);
  } catch {
    return { ok: false, problem: 'BadEncoding' };
  }
  if (identity.length > maxLength) return { ok: false, problem: 'TooLong' };
  if (hasForbiddenCharacter(identity)) {
    return { ok: false, problem: 'BadCharacter' };
  }
  return { ok: true, identity };
}
