import type {
  ChargingProfileStatus,
  ClearChargingProfileStatus,
  GetCompositeScheduleResponse,
  SetChargingProfileRequest,
} from '@ocpp-kit/messages';
import { expectTypeOf, test } from 'vitest';
import {
  type ProfileInstallResult,
  ProfileStore,
  previewCompositeSchedule,
  type RejectReason,
  type ScheduleErrorCode,
} from './index.js';

test('results map straight onto the OCPP confs', () => {
  const store = new ProfileStore({ config: { connectors: 1 }, clock: () => 0 });
  expectTypeOf(
    store.compositeSchedule({ connectorId: 1, duration: 60 }),
  ).toEqualTypeOf<GetCompositeScheduleResponse>();
  expectTypeOf(previewCompositeSchedule).returns.toEqualTypeOf<GetCompositeScheduleResponse>();
  expectTypeOf<ProfileInstallResult['status']>().toExtend<ChargingProfileStatus>();
  expectTypeOf(store.clear({}).status).toExtend<ClearChargingProfileStatus>();
  expectTypeOf(store.install).parameter(0).toEqualTypeOf<SetChargingProfileRequest>();
  expectTypeOf(store.nextChange(1)).toEqualTypeOf<number | undefined>();
});

test('reason and error codes are closed unions', () => {
  expectTypeOf<'TooManyProfiles'>().toExtend<RejectReason>();
  // @ts-expect-error not a reject reason
  expectTypeOf<'Nope'>().toExtend<RejectReason>();
  expectTypeOf<'INVALID_STATE'>().toExtend<ScheduleErrorCode>();
  // @ts-expect-error not an error code
  expectTypeOf<'OOPS'>().toExtend<ScheduleErrorCode>();
});
