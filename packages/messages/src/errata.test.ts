import { describe, expect, test } from 'vitest';
import {
  unitOfMeasureValues,
  validateBootNotificationResponse,
  validateGetCompositeScheduleResponse,
  validateMeterValuesRequest,
  validateRemoteStartTransactionRequest,
  validateSendLocalListRequest,
  validateSetChargingProfileRequest,
  validateStopTransactionRequest,
  validateUpdateFirmwareRequest,
} from './index.js';

const t = '2025-03-01T10:15:00Z';
const meterValues = (unit: string) => ({
  connectorId: 1,
  meterValue: [{ timestamp: t, sampledValue: [{ value: '21.5', measurand: 'Temperature', unit }] }],
});
const stopTransaction = (extra: Record<string, unknown>) => ({
  meterStop: 100,
  timestamp: t,
  transactionId: 1,
  ...extra,
});

describe('OCPP-J 1.6 errata 2.1 (2025-04): both spellings of Celsius', () => {
  test.each(['Celsius', 'Celcius'])('MeterValues.req accepts unit %s', (unit) => {
    expect(validateMeterValuesRequest(meterValues(unit))).toBeUndefined();
  });
  test.each(['Celsius', 'Celcius'])(
    'StopTransaction.req transactionData accepts unit %s',
    (unit) => {
      const payload = stopTransaction({
        transactionData: [{ timestamp: t, sampledValue: [{ value: '21.5', unit }] }],
      });
      expect(validateStopTransactionRequest(payload)).toBeUndefined();
    },
  );
  test('the generated UnitOfMeasure values carry both spellings', () => {
    expect(unitOfMeasureValues).toContain('Celsius');
    expect(unitOfMeasureValues).toContain('Celcius');
  });
  test('any other spelling is an enum failure at the unit', () => {
    expect(validateMeterValuesRequest(meterValues('Celsuis'))).toEqual([
      expect.objectContaining({
        instancePath: '/meterValue/0/sampledValue/0/unit',
        keyword: 'enum',
      }),
    ]);
  });
});

test('OCPP-J 1.6 errata 2.6: StopTransaction.req without reason is valid (default Local, §6.49)', () => {
  expect(validateStopTransactionRequest(stopTransaction({}))).toBeUndefined();
});

describe('OCPP-J 1.6 errata 2.4: BootNotification.conf interval is an integer', () => {
  test('an integer interval passes', () => {
    expect(
      validateBootNotificationResponse({ status: 'Accepted', currentTime: t, interval: 300 }),
    ).toBeUndefined();
  });
  test.each([300.5, '300'])('interval %s fails with keyword type at /interval', (interval) => {
    expect(
      validateBootNotificationResponse({ status: 'Accepted', currentTime: t, interval }),
    ).toEqual([expect.objectContaining({ instancePath: '/interval', keyword: 'type' })]);
  });
});

test('OCPP-J 1.6 errata 2.5: UpdateFirmware.req retries and retryInterval are integers', () => {
  const payload = { location: 'https://example.com/fw.bin', retrieveDate: t, retries: 2.5 };
  expect(validateUpdateFirmwareRequest(payload)).toEqual([
    expect.objectContaining({ instancePath: '/retries', keyword: 'type' }),
  ]);
});

test('OCPP-J 1.6 errata 2.3: SendLocalList.req idTagInfo.expiryDate is a validated property', () => {
  const payload = (expiryDate: string) => ({
    listVersion: 1,
    updateType: 'Full',
    localAuthorizationList: [{ idTag: 'TAG', idTagInfo: { status: 'Accepted', expiryDate } }],
  });
  expect(validateSendLocalListRequest(payload(t))).toBeUndefined();
  expect(validateSendLocalListRequest(payload('tomorrow'))).toEqual([
    expect.objectContaining({
      instancePath: '/localAuthorizationList/0/idTagInfo/expiryDate',
      keyword: 'format',
    }),
  ]);
});

test('OCPP-J 1.6 errata 3.2: inner objects reject extra fields', () => {
  const payload = meterValues('Wh');
  (payload.meterValue[0]?.sampledValue[0] as Record<string, unknown>).extra = true;
  expect(validateMeterValuesRequest(payload)).toEqual([
    expect.objectContaining({
      instancePath: '/meterValue/0/sampledValue/0',
      keyword: 'additionalProperties',
      property: 'extra',
    }),
  ]);
});

describe('OCPP 1.6 §7.13, §7.14 (decimal with at most one fraction digit): multipleOf 0.1 tolerates binary floating point', () => {
  const profile = (limit: number, minChargingRate = 6) => ({
    connectorId: 1,
    csChargingProfiles: {
      chargingProfileId: 1,
      stackLevel: 0,
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingProfileKind: 'Absolute',
      chargingSchedule: {
        chargingRateUnit: 'A',
        chargingSchedulePeriod: [{ startPeriod: 0, limit }],
        minChargingRate,
      },
    },
  });
  test.each([8.7, 0.1 + 0.2, 16, 32.1, 1e6 + 0.3, 0])('limit %s passes', (limit) => {
    expect(validateSetChargingProfileRequest(profile(limit))).toBeUndefined();
  });
  test.each([8.75, 0.05, 10.01])('limit %s fails multipleOf at its path', (limit) => {
    expect(validateSetChargingProfileRequest(profile(limit))).toEqual([
      expect.objectContaining({
        instancePath: '/csChargingProfiles/chargingSchedule/chargingSchedulePeriod/0/limit',
        keyword: 'multipleOf',
      }),
    ]);
  });
  test('minChargingRate 8.7 passes', () => {
    expect(validateSetChargingProfileRequest(profile(10, 8.7))).toBeUndefined();
  });
  test('the same tolerance applies to every schema with multipleOf 0.1', () => {
    const schedule = (limit: number) => ({
      chargingRateUnit: 'W',
      chargingSchedulePeriod: [{ startPeriod: 0, limit }],
      minChargingRate: limit,
    });
    const remoteStart = (limit: number) => ({
      idTag: 'TAG',
      chargingProfile: {
        chargingProfileId: 1,
        stackLevel: 0,
        chargingProfilePurpose: 'TxProfile',
        chargingProfileKind: 'Relative',
        chargingSchedule: schedule(limit),
      },
    });
    const composite = (limit: number) => ({
      status: 'Accepted',
      connectorId: 1,
      chargingSchedule: schedule(limit),
    });
    expect(validateRemoteStartTransactionRequest(remoteStart(8.7))).toBeUndefined();
    expect(validateGetCompositeScheduleResponse(composite(8.7))).toBeUndefined();
    expect(validateRemoteStartTransactionRequest(remoteStart(8.75))).toEqual([
      expect.objectContaining({
        instancePath: '/chargingProfile/chargingSchedule/chargingSchedulePeriod/0/limit',
        keyword: 'multipleOf',
      }),
    ]);
    expect(validateGetCompositeScheduleResponse(composite(8.75))).toEqual([
      expect.objectContaining({
        instancePath: '/chargingSchedule/chargingSchedulePeriod/0/limit',
        keyword: 'multipleOf',
      }),
    ]);
  });
});
