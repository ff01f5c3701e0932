// Reconnect delays: exponential backoff with jitter (OCPP-J errata §3.4: retry "with an
// appropriate back-off mechanism to prevent overloading the Central System").
import { RpcError } from '../errors.js';

export interface BackoffOptions {
  /** Delay before the first retry. Default 1000 ms. */
  readonly initialDelayMs?: number;
  /** Upper bound of any delay. Default 60000 ms. */
  readonly maxDelayMs?: number;
  /** Growth per attempt. Default 2. */
  readonly factor?: number;
  /** Fraction of the delay drawn at random, 0..1: delay * (1 - jitter * random). Default 0.5. */
  readonly jitter?: number;
  /** Attempts in a row before giving up (the client emits `gaveUp`). Default Infinity. */
  readonly maxAttempts?: number;
  /**
   * A connection must stay open this long before the attempt count starts again from 0, so a
   * server that accepts and then drops does not get a reconnect every second. Default 30000 ms.
   */
  readonly resetAfterMs?: number;
  /**
   * Upper bound of the delay after being replaced (close code 4001: another charge point took
   * this identity). Replacements in a row double the delay from `maxDelayMs` up to this, so two
   * charge points sharing an identity stop taking turns every few seconds. Default 3600000 ms.
   */
  readonly maxReplacedDelayMs?: number;
}

export type ResolvedBackoff = Required<BackoffOptions>;

export const defaultBackoff: ResolvedBackoff = {
  initialDelayMs: 1_000,
  maxDelayMs: 60_000,
  factor: 2,
  jitter: 0.5,
  maxAttempts: Number.POSITIVE_INFINITY,
  resetAfterMs: 30_000,
  maxReplacedDelayMs: 3_600_000,
};

/** Fills defaults and rejects nonsensical bounds with `InvalidOptions` naming the option. */
export function resolveBackoff(options: BackoffOptions | undefined): ResolvedBackoff {
  const maxDelayMs = options?.maxDelayMs ?? defaultBackoff.maxDelayMs;
  const r: ResolvedBackoff = {
    ...defaultBackoff,
    // A larger maxDelayMs lifts the default replaced bound with it.
    maxReplacedDelayMs: Math.max(defaultBackoff.maxReplacedDelayMs, maxDelayMs),
    ...options,
  };
  if (!(r.initialDelayMs >= 0)) throw invalid('reconnect.initialDelayMs must be >= 0');
  if (!(r.maxDelayMs >= r.initialDelayMs)) {
    throw invalid('reconnect.maxDelayMs must be >= reconnect.initialDelayMs');
  }
  if (!(r.factor >= 1)) throw invalid('reconnect.factor must be >= 1');
  if (!(r.jitter >= 0 && r.jitter <= 1)) throw invalid('reconnect.jitter must be in 0..1');
  if (!(r.maxAttempts >= 0)) throw invalid('reconnect.maxAttempts must be >= 0');
  if (!(r.resetAfterMs >= 0)) throw invalid('reconnect.resetAfterMs must be >= 0');
  if (!(r.maxReplacedDelayMs >= r.maxDelayMs)) {
    throw invalid('reconnect.maxReplacedDelayMs must be >= reconnect.maxDelayMs');
  }
  return r;
}

/** The delay before retry number `attempt` (0-based); `random` returns a number in [0, 1). */
export function backoffDelay(
  attempt: number,
  options: ResolvedBackoff,
  random: () => number = Math.random,
): number {
  const exponential = options.initialDelayMs * options.factor ** attempt;
  const capped = Math.min(options.maxDelayMs, exponential);
  return Math.round(capped * (1 - options.jitter * random()));
}

/** The delay after the `replacements`-th close with 4001 in a row (1-based). */
export function replacedDelay(
  replacements: number,
  options: ResolvedBackoff,
  random: () => number = Math.random,
): number {
  const doubled = Math.max(options.maxDelayMs, 1) * 2 ** (replacements - 1);
  const capped = Math.min(options.maxReplacedDelayMs, doubled);
  return Math.round(capped * (1 - options.jitter * random()));
}

const invalid = (message: string) => new RpcError('InvalidOptions', message);
