import { describe, expectTypeOf, test } from 'vitest';
import type {
  ActionsHandledBy,
  ActionsSentBy,
  BootNotificationRequest,
  CentralSystemToChargePointActions,
  ChargePointToCentralSystemActions,
  ChargingProfilePurpose,
  chargingProfilePurposeValues,
  ocpp16,
  RequestOf,
  ResetType,
  ResponseOf,
  SampledValue,
  UnitOfMeasure,
  unitOfMeasureValues,
} from './index.js';

describe('OCPP 1.6 §6.3: BootNotification.req', () => {
  test('chargePointModel is required', () => {
    // @ts-expect-error chargePointModel is missing
    const missing: BootNotificationRequest = { chargePointVendor: 'V' };
    const complete: BootNotificationRequest = { chargePointVendor: 'V', chargePointModel: 'M' };
    expectTypeOf(missing).toEqualTypeOf(complete);
  });
  test('unknown properties do not compile', () => {
    const extra: BootNotificationRequest = {
      chargePointVendor: 'V',
      chargePointModel: 'M',
      // @ts-expect-error additionalProperties: false
      colour: 'red',
    };
    expectTypeOf(extra).toEqualTypeOf<BootNotificationRequest>();
  });
});

describe('enum fields accept only their literals', () => {
  test('ResetType', () => {
    expectTypeOf<ResetType>().toEqualTypeOf<'Hard' | 'Soft'>();
    // @ts-expect-error not a ResetType
    const bad: RequestOf<'Reset'> = { type: 'Warm' };
    expectTypeOf(bad.type).toEqualTypeOf<ResetType>();
  });
  test('SampledValue.unit carries both Celsius spellings (OCPP-J errata 2.1)', () => {
    expectTypeOf<'Celsius'>().toExtend<UnitOfMeasure>();
    expectTypeOf<'Celcius'>().toExtend<UnitOfMeasure>();
    expectTypeOf<'celsius'>().not.toExtend<UnitOfMeasure>();
    expectTypeOf<SampledValue['unit']>().toEqualTypeOf<UnitOfMeasure | undefined>();
  });
  test('value arrays are typed as their enum', () => {
    expectTypeOf<
      (typeof chargingProfilePurposeValues)[number]
    >().toEqualTypeOf<ChargingProfilePurpose>();
    expectTypeOf<(typeof unitOfMeasureValues)[number]>().toEqualTypeOf<UnitOfMeasure>();
  });
});

test("ResponseOf<'Reset'> is exactly { status: 'Accepted' | 'Rejected' }", () => {
  expectTypeOf<ResponseOf<'Reset'>>().toEqualTypeOf<{ status: 'Accepted' | 'Rejected' }>();
});

describe('direction-aware action sets', () => {
  test('a CentralSystem-to-ChargePoint action is not in the charge point sendable set', () => {
    expectTypeOf<'Reset'>().not.toExtend<ActionsSentBy<'ChargePoint'>>();
    expectTypeOf<'Reset'>().toExtend<ActionsSentBy<'CentralSystem'>>();
    expectTypeOf<'Reset'>().toExtend<ActionsHandledBy<'ChargePoint'>>();
    expectTypeOf<'BootNotification'>().toExtend<ActionsSentBy<'ChargePoint'>>();
    expectTypeOf<'BootNotification'>().not.toExtend<ActionsSentBy<'CentralSystem'>>();
  });
  test('DataTransfer goes both ways (OCPP 1.6 §4.3, §5.6)', () => {
    expectTypeOf<'DataTransfer'>().toExtend<ActionsSentBy<'ChargePoint'>>();
    expectTypeOf<'DataTransfer'>().toExtend<ActionsSentBy<'CentralSystem'>>();
  });
  test('the descriptor carries the action tables', () => {
    type Types = NonNullable<(typeof ocpp16)['types']>;
    expectTypeOf<
      Types['ChargePointToCentralSystem']
    >().toEqualTypeOf<ChargePointToCentralSystemActions>();
    expectTypeOf<
      Types['CentralSystemToChargePoint']
    >().toEqualTypeOf<CentralSystemToChargePointActions>();
  });
});
