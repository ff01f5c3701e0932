// The message types this API takes and returns, so that no caller needs @ocpp-kit/messages too.
export type {
  ChargingProfile,
  ChargingRateUnit,
  ClearChargingProfileRequest,
  ClearChargingProfileStatus,
  GetCompositeScheduleRequest,
  GetCompositeScheduleResponse,
  SetChargingProfileRequest,
} from '@ocpp-kit/messages';
export { maxLimit } from './compiled-profile.js';
export type { LimitInForce } from './composite.js';
export {
  type AllowedChargingRateUnit,
  allowedChargingRateUnitValues,
  defaultScheduleConfig,
  maxSupplyVoltage,
  resolveScheduleConfig,
  type ScheduleConfig,
} from './config.js';
export { ScheduleError, type ScheduleErrorCode, scheduleErrorCodes } from './errors.js';
export {
  type InstalledProfile,
  type PreviewInput,
  previewCompositeSchedule,
  previewLimitAt,
  type RunningTransaction,
} from './preview.js';
export {
  type ClearResult,
  type ProfileInstallResult,
  ProfileStore,
  type ProfileStoreOptions,
  type ScheduleState,
} from './profile-store.js';
export { type Rejection, type RejectReason, rejectReasons } from './reject-reasons.js';
