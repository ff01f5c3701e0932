import type {
  ChargingProfile,
  ChargingRateUnit,
  GetCompositeScheduleRequest,
  GetCompositeScheduleResponse,
} from '@ocpp-kit/messages';
import { compileOrThrow } from './compiled-profile.js';
import {
  compositeSchedule,
  defaultUnit,
  isKnownConnector,
  type LimitInForce,
  limitAt,
  prepare,
  type ScheduleSnapshot,
} from './composite.js';
import { resolveScheduleConfig, type ScheduleConfig } from './config.js';
import { ScheduleError } from './errors.js';
import type { TransactionState } from './evaluate.js';
import { toSeconds } from './time.js';

/** A profile as installed by SetChargingProfile.req. */
export interface InstalledProfile {
  readonly connectorId: number;
  readonly chargingProfile: ChargingProfile;
}

/** A running transaction; `startedAt` in epoch milliseconds. */
export interface RunningTransaction {
  readonly connectorId: number;
  readonly startedAt: number;
  readonly transactionId?: number;
}

/** Input of the store-free evaluation a CSMS uses to preview a charge point's behaviour. */
export interface PreviewInput {
  readonly config: Partial<ScheduleConfig> & Pick<ScheduleConfig, 'connectors'>;
  readonly profiles: readonly InstalledProfile[];
  readonly transactions?: readonly RunningTransaction[];
}

function snapshotOf(input: PreviewInput): ScheduleSnapshot {
  const config = resolveScheduleConfig(input.config);
  const profiles = input.profiles.map((entry, i) => {
    if (!isKnownConnector(config, entry.connectorId)) {
      throw new ScheduleError(
        'INVALID_CONNECTOR',
        `profiles[${i}].connectorId: expected 0..${config.connectors}`,
      );
    }
    return compileOrThrow(entry.connectorId, entry.chargingProfile, i);
  });
  const transactions: (TransactionState | undefined)[] = [];
  for (const [i, tx] of (input.transactions ?? []).entries()) {
    if (!isKnownConnector(config, tx.connectorId) || tx.connectorId === 0) {
      throw new ScheduleError(
        'INVALID_CONNECTOR',
        `transactions[${i}].connectorId: expected 1..${config.connectors}`,
      );
    }
    transactions[tx.connectorId] = {
      startedAt: toSeconds(tx.startedAt, `transactions[${i}].startedAt`),
      transactionId: tx.transactionId,
    };
  }
  return { config, profiles, transactions };
}

/**
 * The GetCompositeSchedule.conf a charge point with these profiles and transactions would send
 * at `at` (epoch ms). Profiles are evaluated as given (no store rules: ids may repeat), so a CSMS
 * can preview a profile set before sending it. Throws `ScheduleError` on malformed input.
 */
export function previewCompositeSchedule(
  input: PreviewInput,
  request: GetCompositeScheduleRequest,
  at: number,
): GetCompositeScheduleResponse {
  const snapshot = snapshotOf(input);
  const source = (connectorId: number) => prepare(snapshot, connectorId);
  return compositeSchedule(snapshot.config, source, request, toSeconds(at, 'at'));
}

/** The limit a connector (0 = grid draw) is held to at `at` (epoch ms), store-free. */
export function previewLimitAt(
  input: PreviewInput,
  connectorId: number,
  at: number,
  unit?: ChargingRateUnit,
): LimitInForce {
  const snapshot = snapshotOf(input);
  if (!isKnownConnector(snapshot.config, connectorId)) {
    throw new ScheduleError(
      'INVALID_CONNECTOR',
      `connectorId: expected 0..${snapshot.config.connectors}`,
    );
  }
  const { config } = snapshot;
  const source = (c: number) => prepare(snapshot, c);
  return limitAt(config, source, connectorId, toSeconds(at, 'at'), unit ?? defaultUnit(config));
}
