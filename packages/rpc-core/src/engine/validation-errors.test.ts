import { ocpp16, type ValidationKeyword, validationKeywords } from '@ocpp-kit/messages';
import { describe, expect, test } from 'vitest';
import type { CallErrorCode } from '../errors.js';
import { createRouter } from './router.js';
import { RpcSession } from './session.js';
import { callErrorCodeOf, describeFailure } from './validation-errors.js';

/** The decision per keyword, written out (OCPP-J 1.6 §4.2.3 Table 7); see README "Which CALLERROR we send". */
const expected: Record<ValidationKeyword, CallErrorCode> = {
  required: 'OccurenceConstraintViolation',
  minItems: 'OccurenceConstraintViolation',
  maxItems: 'OccurenceConstraintViolation',
  dependencies: 'OccurenceConstraintViolation',
  type: 'TypeConstraintViolation',
  enum: 'PropertyConstraintViolation',
  const: 'PropertyConstraintViolation',
  maxLength: 'PropertyConstraintViolation',
  minLength: 'PropertyConstraintViolation',
  pattern: 'PropertyConstraintViolation',
  format: 'PropertyConstraintViolation',
  minimum: 'PropertyConstraintViolation',
  maximum: 'PropertyConstraintViolation',
  exclusiveMinimum: 'PropertyConstraintViolation',
  exclusiveMaximum: 'PropertyConstraintViolation',
  multipleOf: 'PropertyConstraintViolation',
  uniqueItems: 'PropertyConstraintViolation',
  additionalProperties: 'FormationViolation',
  additionalItems: 'FormationViolation',
  anyOf: 'FormationViolation',
  oneOf: 'FormationViolation',
  allOf: 'FormationViolation',
  not: 'FormationViolation',
};

describe('callErrorCodeOf: schema keyword -> CALLERROR code (OCPP-J 4.2.3 Table 7)', () => {
  for (const keyword of validationKeywords) {
    test(`OCPP-J 4.2.3: keyword '${keyword}' -> ${expected[keyword]}`, () => {
      expect(callErrorCodeOf(keyword)).toBe(expected[keyword]);
    });
  }

  test('OCPP-J 4.2.3: describeFailure bounds a description carrying a peer-chosen property name', () => {
    const long = 'k'.repeat(10_000);
    const text = describeFailure({
      instancePath: '',
      keyword: 'additionalProperties',
      property: long,
      message: `/${long} is not allowed`,
    });
    expect(text.length).toBeLessThanOrEqual(256);
    expect(text.startsWith('/kkk')).toBe(true);
  });
});

/** Real OCPP 1.6 CALLs with one defect each, answered by a central system or charge point session. */
const cases: Array<{
  keyword: ValidationKeyword;
  side: 'CentralSystem' | 'ChargePoint';
  action: string;
  payload: unknown;
  field: string;
}> = [
  {
    keyword: 'required',
    side: 'CentralSystem',
    action: 'BootNotification',
    payload: { chargePointVendor: 'V' },
    field: '/chargePointModel',
  },
  {
    keyword: 'required',
    side: 'CentralSystem',
    action: 'MeterValues',
    payload: { connectorId: 1, meterValue: [{ sampledValue: [{ value: '1' }] }] },
    field: '/meterValue/0/timestamp',
  },
  {
    keyword: 'type',
    side: 'CentralSystem',
    action: 'StatusNotification',
    payload: { connectorId: '1', errorCode: 'NoError', status: 'Available' },
    field: '/connectorId',
  },
  {
    keyword: 'type',
    side: 'CentralSystem',
    action: 'StatusNotification',
    payload: { connectorId: 1.5, errorCode: 'NoError', status: 'Available' },
    field: '/connectorId',
  },
  {
    keyword: 'maxLength',
    side: 'CentralSystem',
    action: 'BootNotification',
    payload: { chargePointVendor: 'V'.repeat(21), chargePointModel: 'M' },
    field: '/chargePointVendor',
  },
  {
    keyword: 'enum',
    side: 'CentralSystem',
    action: 'StatusNotification',
    payload: { connectorId: 1, errorCode: 'NoError', status: 'Sleeping' },
    field: '/status',
  },
  {
    keyword: 'format',
    side: 'CentralSystem',
    action: 'StartTransaction',
    payload: { connectorId: 1, idTag: 'T', meterStart: 0, timestamp: 'yesterday' },
    field: '/timestamp',
  },
  {
    keyword: 'additionalProperties',
    side: 'CentralSystem',
    action: 'BootNotification',
    payload: { chargePointVendor: 'V', chargePointModel: 'M', colour: 'red' },
    field: '/colour',
  },
  {
    keyword: 'multipleOf',
    side: 'ChargePoint',
    action: 'SetChargingProfile',
    payload: {
      connectorId: 1,
      csChargingProfiles: {
        chargingProfileId: 1,
        stackLevel: 0,
        chargingProfilePurpose: 'TxDefaultProfile',
        chargingProfileKind: 'Absolute',
        chargingSchedule: {
          chargingRateUnit: 'A',
          chargingSchedulePeriod: [{ startPeriod: 0, limit: 16.05 }],
        },
      },
    },
    field: '/csChargingProfiles/chargingSchedule/chargingSchedulePeriod/0/limit',
  },
];

describe('incoming CALL validation with the generated ocpp16 validators', () => {
  for (const c of cases) {
    test(`OCPP-J 4.2.3: ${c.action} failing '${c.keyword}' at ${c.field} -> ${expected[c.keyword]} naming the field`, () => {
      const sent: string[] = [];
      let handled = false;
      const session =
        c.side === 'CentralSystem'
          ? new RpcSession({
              protocol: ocpp16,
              side: 'CentralSystem',
              identity: 'CP1',
              router: createRouter(ocpp16, 'CentralSystem')
                .on('BootNotification', () => {
                  handled = true;
                  return { status: 'Accepted', currentTime: '2026-01-01T00:00:00Z', interval: 60 };
                })
                .on('StatusNotification', () => {
                  handled = true;
                  return {};
                })
                .on('MeterValues', () => {
                  handled = true;
                  return {};
                })
                .on('StartTransaction', () => {
                  handled = true;
                  return { idTagInfo: { status: 'Accepted' }, transactionId: 1 };
                }),
            })
          : new RpcSession({
              protocol: ocpp16,
              side: 'ChargePoint',
              identity: 'CP1',
              router: createRouter(ocpp16, 'ChargePoint').on('SetChargingProfile', () => {
                handled = true;
                return { status: 'Accepted' };
              }),
            });
      session.attach({ send: (text) => sent.push(text), close: () => {} });
      session.receive(JSON.stringify([2, 'm1', c.action, c.payload]));
      expect(handled).toBe(false);
      const reply = JSON.parse(sent[0] as string) as unknown[];
      expect(reply.slice(0, 3)).toEqual([4, 'm1', expected[c.keyword]]);
      expect(reply[3]).toContain(c.field);
    });
  }
});
