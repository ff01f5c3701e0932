import type { MeterValue } from '@ocpp-kit/messages';

/**
 * Errata 3.91 (StopTransactionMaxMeterValues): over the maximum, intermediate values are
 * dropped, every second one at a time (1st, 3rd, ...), never the first (Transaction.Begin) or
 * the last (Transaction.End).
 */
export function thinTransactionData(values: readonly MeterValue[], max: number): MeterValue[] {
  let kept = [...values];
  const limit = Math.max(2, max);
  while (kept.length > limit) {
    const middle = kept.slice(1, -1).filter((_, index) => index % 2 === 1);
    const next = [kept[0] as MeterValue, ...middle, kept.at(-1) as MeterValue];
    kept = next.length < kept.length ? next : kept.slice(0, limit - 1).concat(kept.slice(-1));
  }
  return kept;
}
