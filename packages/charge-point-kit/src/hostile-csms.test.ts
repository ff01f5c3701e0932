// Valid-but-hostile CSMS calls (schema-valid, semantically wrong or adversarial) get the spec's
// rejection statuses, never a CALLERROR or a crash, and nothing they do corrupts stored state:
// after a restart the charge point reads back exactly what it held before.
import type { ocpp16 } from '@ocpp-kit/messages';
import type { ServerConnection } from '@ocpp-kit/rpc-core';
import { RpcError } from '@ocpp-kit/rpc-core';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { ChargePoint } from './charge-point.js';
import { standardKeys } from './config/keys.js';
import { next, testChargePoint } from './test-helpers/test-charge-point.js';
import { startTestCsms } from './test-helpers/test-csms.js';

type Call = { readonly action: string; readonly payload: Record<string, unknown> };

const idTag = fc.constantFrom('A', 'a', 'B', 'VIP', 'x'.repeat(20));
const connector = fc.integer({ min: 0, max: 4 });
const keyName = fc.constantFrom(
  ...Object.keys(standardKeys),
  'NoSuchKey',
  'heartbeatinterval',
  'MeterValuesSampledDataMaxLength',
);
const keyValue = fc.oneof(
  fc.constantFrom(
    '0',
    '-1',
    '1',
    '60',
    '99999999999',
    'true',
    'FALSE',
    'yes',
    '',
    ' 5',
    '1.5',
    'Energy.Active.Import.Register,Frequency',
    'Voltage.L1,SoC',
    '1.RST,9.RST',
    'A'.repeat(40),
  ),
  fc.string({ maxLength: 30 }),
);
const idTagInfo = fc.record(
  { status: fc.constantFrom('Accepted', 'Blocked', 'Expired', 'Invalid', 'ConcurrentTx') },
  { requiredKeys: ['status'] },
);

const call: fc.Arbitrary<Call> = fc.oneof(
  fc
    .record({ key: keyName, value: keyValue })
    .map((payload) => ({ action: 'ChangeConfiguration', payload })),
  fc
    .array(keyName, { maxLength: 4 })
    .map((key) => ({ action: 'GetConfiguration', payload: { key } })),
  fc
    .record({ connectorId: connector, type: fc.constantFrom('Operative', 'Inoperative') })
    .map((payload) => ({ action: 'ChangeAvailability', payload })),
  fc
    .record({
      listVersion: fc.integer({ min: -2, max: 6 }),
      updateType: fc.constantFrom('Full', 'Differential'),
      localAuthorizationList: fc.array(
        fc.record({ idTag, idTagInfo: fc.option(idTagInfo, { nil: undefined }) }),
        { maxLength: 4 },
      ),
    })
    .map(({ localAuthorizationList, ...rest }) => ({
      action: 'SendLocalList',
      payload: {
        ...rest,
        localAuthorizationList: localAuthorizationList.map((e) =>
          e.idTagInfo === undefined ? { idTag: e.idTag } : e,
        ),
      },
    })),
  fc.constant({ action: 'ClearCache', payload: {} }),
  fc.constant({ action: 'GetLocalListVersion', payload: {} }),
  fc
    .record({
      reservationId: fc.integer({ min: 1, max: 4 }),
      connectorId: connector,
      idTag,
      future: fc.boolean(),
    })
    .map(({ future, ...rest }) => ({
      action: 'ReserveNow',
      payload: {
        ...rest,
        expiryDate: new Date(Date.now() + (future ? 3_600_000 : -60_000)).toISOString(),
      },
    })),
  fc
    .integer({ min: 1, max: 5 })
    .map((reservationId) => ({ action: 'CancelReservation', payload: { reservationId } })),
  fc
    .record({ connectorId: connector, idTag })
    .map((payload) => ({ action: 'RemoteStartTransaction', payload })),
  fc
    .integer({ min: -1, max: 200 })
    .map((transactionId) => ({ action: 'RemoteStopTransaction', payload: { transactionId } })),
  connector.map((connectorId) => ({ action: 'UnlockConnector', payload: { connectorId } })),
  fc
    .record({
      requestedMessage: fc.constantFrom(
        'BootNotification',
        'Heartbeat',
        'MeterValues',
        'StatusNotification',
      ),
      connectorId: connector,
    })
    .map((payload) => ({ action: 'TriggerMessage', payload })),
  fc
    .record({ vendorId: fc.constantFrom('x', 'com.example') })
    .map((payload) => ({ action: 'DataTransfer', payload })),
);

/** What must hold across a restart: configuration, availability, the local list, reservations. */
async function snapshot(chargePoint: ChargePoint, connection: ServerConnection<typeof ocpp16>) {
  return {
    // §4.2: each BootNotification.conf sets HeartbeatInterval anew, so a restart resets it.
    configuration: (await connection.call('GetConfiguration', {})).configurationKey?.filter(
      (entry) => entry.key !== 'HeartbeatInterval',
    ),
    statuses: [0, 1, 2].map((id) => chargePoint.status(id)),
    listVersion: await connection.call('GetLocalListVersion', {}),
  };
}

describe('hostile CSMS (issue: bad input never corrupts state)', () => {
  test('random schema-valid calls get statuses, not CALLERRORs; a restart reads back the same state', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(call, { minLength: 10, maxLength: 40 }), async (calls) => {
        const csms = await startTestCsms();
        const made = testChargePoint(csms.url);
        const errors: unknown[] = [];
        made.chargePoint.on('error', ({ error }) => errors.push(error));
        await made.chargePoint.start();
        await next(made.chargePoint, 'accepted');
        made.chargePoint.plugIn(2);
        const connection = csms.server.connections.get('CP1') as ServerConnection<typeof ocpp16>;
        for (const { action, payload } of calls) {
          try {
            const answer = await (connection.call as (a: string, p: object) => Promise<unknown>)(
              action,
              payload,
            );
            expect(answer).toBeTypeOf('object');
          } catch (error) {
            // The one CALLERROR a valid request may get: more keys than GetConfigurationMaxKeys.
            expect(error).toBeInstanceOf(RpcError);
            expect({ action, code: (error as RpcError).code }).toEqual({
              action: 'GetConfiguration',
              code: 'OccurenceConstraintViolation',
            });
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
        // A car arrives at connector 1 and both leave: what a remote start prepared becomes a
        // transaction and ends, so Scheduled availability changes apply before the snapshot (§5.2).
        made.chargePoint.plugIn(1);
        await new Promise((resolve) => setTimeout(resolve, 100));
        made.chargePoint.unplug(1);
        made.chargePoint.unplug(2);
        await new Promise((resolve) => setTimeout(resolve, 300));
        const before = await snapshot(made.chargePoint, connection);
        await made.chargePoint.stop();
        const restarted = testChargePoint(csms.url, {
          storage: { directory: made.directory },
        }).chargePoint;
        await restarted.start();
        await next(restarted, 'accepted');
        const after = await snapshot(
          restarted,
          csms.server.connections.get('CP1') as ServerConnection<typeof ocpp16>,
        );
        await restarted.stop();
        await csms.server.close();
        expect(errors).toEqual([]);
        expect(after.configuration).toEqual(before.configuration);
        expect(after.listVersion).toEqual(before.listVersion);
        // Transactions a restart stops (PowerLoss) end Charging; availability and reservations hold.
        const settled = (s: string) =>
          ['Charging', 'SuspendedEV', 'SuspendedEVSE', 'Preparing', 'Finishing'].includes(s)
            ? 'Available'
            : s;
        expect(after.statuses.map(settled)).toEqual(before.statuses.map(settled));
      }),
      { numRuns: 8 },
    );
  }, 120_000);
});
