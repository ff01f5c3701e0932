import type { IdTagInfo } from '@ocpp-kit/messages';
import { describe, expect, test } from 'vitest';
import type { ChargePointOptions } from '../charge-point-options.js';
import { next, testChargePoint } from '../test-helpers/test-charge-point.js';
import { answerBoots, startTestCsms } from '../test-helpers/test-csms.js';

async function started(options: Partial<ChargePointOptions> = {}) {
  const csms = await startTestCsms();
  const verdicts = new Map<string, IdTagInfo>();
  csms.answers.Authorize = ({ idTag }) => ({
    idTagInfo: verdicts.get(idTag) ?? { status: 'Invalid' },
  });
  const made = testChargePoint(csms.url, options);
  made.chargePoint.start();
  await next(made.chargePoint, 'accepted');
  const connection = csms.server.connections.get('CP1');
  if (connection === undefined) throw new Error('not connected');
  const authorizes = () => csms.received.filter((r) => r.action === 'Authorize').length;
  /** The CSMS goes away; the charge point is offline but was Accepted before. */
  const goOffline = async () => {
    const gone = next(made.chargePoint, 'disconnected');
    await csms.server.close();
    await gone;
  };
  return { csms, verdicts, connection, authorizes, goOffline, ...made };
}

const full = (listVersion: number, entries: [string, IdTagInfo['status']][]) => ({
  listVersion,
  updateType: 'Full' as const,
  localAuthorizationList: entries.map(([idTag, status]) => ({ idTag, idTagInfo: { status } })),
});

describe('authorization (§3.5, §4.1)', () => {
  test('§4.1: an unknown idTag is asked of the CSMS, and its answer cached (§3.5.1)', async () => {
    const { chargePoint, verdicts, authorizes, goOffline } = await started();
    verdicts.set('AA01', { status: 'Accepted', parentIdTag: 'FLEET' });
    await expect(chargePoint.authorize('AA01')).resolves.toMatchObject({
      accepted: true,
      source: 'Csms',
    });
    expect(authorizes()).toBe(1);
    await goOffline();
    await expect(chargePoint.authorize('aa01')).resolves.toMatchObject({
      accepted: true,
      source: 'Cache',
      idTagInfo: { parentIdTag: 'FLEET' },
    });
  });

  test('§9.1.13 LocalPreAuthorize: a cached valid idTag starts without an Authorize.req', async () => {
    const { chargePoint, verdicts, authorizes } = await started({
      configuration: { values: { LocalPreAuthorize: true } },
    });
    verdicts.set('AA01', { status: 'Accepted' });
    await chargePoint.authorize('AA01');
    await expect(chargePoint.authorize('AA01')).resolves.toMatchObject({
      accepted: true,
      source: 'Cache',
    });
    expect(authorizes()).toBe(1);
  });

  test('§3.5.1: an idTag cached as NOT-valid is asked again while online', async () => {
    const { chargePoint, verdicts, authorizes } = await started({
      configuration: { values: { LocalPreAuthorize: true } },
    });
    verdicts.set('AA01', { status: 'Blocked' });
    await chargePoint.authorize('AA01');
    verdicts.set('AA01', { status: 'Accepted' });
    await expect(chargePoint.authorize('AA01')).resolves.toMatchObject({
      accepted: true,
      source: 'Csms',
    });
    expect(authorizes()).toBe(2);
  });

  test('§3.5.4: offline, an unknown idTag is accepted only with AllowOfflineTxForUnknownId; listed non-Accepted ones never', async () => {
    const { chargePoint, connection, goOffline } = await started({
      configuration: { values: { AllowOfflineTxForUnknownId: true } },
    });
    await connection.call('SendLocalList', full(1, [['BLOCKED', 'Blocked']]));
    await goOffline();
    await expect(chargePoint.authorize('NEW')).resolves.toMatchObject({
      accepted: true,
      source: 'UnknownOffline',
    });
    await expect(chargePoint.authorize('blocked')).resolves.toMatchObject({
      accepted: false,
      source: 'LocalList',
    });
  });

  test('§3.5.4: an entry whose expiryDate passed is rejected offline', async () => {
    const { chargePoint, connection, goOffline } = await started({
      configuration: { values: { AllowOfflineTxForUnknownId: true } },
    });
    await connection.call('SendLocalList', {
      listVersion: 1,
      updateType: 'Full',
      localAuthorizationList: [
        { idTag: 'OLD', idTagInfo: { status: 'Accepted', expiryDate: '2020-01-01T00:00:00Z' } },
      ],
    });
    await goOffline();
    await expect(chargePoint.authorize('OLD')).resolves.toMatchObject({
      accepted: false,
      idTagInfo: { status: 'Expired' },
    });
  });

  test('§9.1.12 LocalAuthorizeOffline false: offline, even a listed idTag is refused', async () => {
    const { chargePoint, connection, goOffline } = await started({
      configuration: { values: { LocalAuthorizeOffline: false } },
    });
    await connection.call('SendLocalList', full(1, [['AA01', 'Accepted']]));
    await goOffline();
    await expect(chargePoint.authorize('AA01')).resolves.toMatchObject({ accepted: false });
  });

  test('errata 3.11: a charge point never Accepted charges nobody, unless chargeBeforeAccepted', async () => {
    const csms = await startTestCsms();
    answerBoots(csms, ['Rejected'], 60);
    const values = { AllowOfflineTxForUnknownId: true } as const;
    const denied = testChargePoint(csms.url, { configuration: { values } }).chargePoint;
    await expect(denied.authorize('ANY')).resolves.toMatchObject({
      accepted: false,
      source: 'NeverAccepted',
    });
    const allowed = testChargePoint(csms.url, {
      configuration: { values },
      chargeBeforeAccepted: true,
    }).chargePoint;
    await expect(allowed.authorize('ANY')).resolves.toMatchObject({
      accepted: true,
      source: 'UnknownOffline',
    });
  });

  test('§3.5.3: a listed idTag wins over the cache and is never cached; a CSMS verdict against it is a LocalListConflict (§3.5.2)', async () => {
    const { csms, chargePoint, connection, verdicts } = await started();
    await connection.call('SendLocalList', full(3, [['AA01', 'Accepted']]));
    verdicts.set('AA01', { status: 'Blocked' });
    await chargePoint.authorize('AA01');
    const statuses = await csms.waitFor('StatusNotification', 5);
    expect(statuses.slice(3).map((s) => s.payload)).toMatchObject([
      { connectorId: 0, errorCode: 'LocalListConflict' },
      { connectorId: 0, errorCode: 'NoError' },
    ]);
  });
});

describe('Local Authorization List (§5.10, §5.15)', () => {
  test('Full then Differential with versions; GetLocalListVersion reports them, 0 when empty; kept across a restart', async () => {
    const { csms, connection, chargePoint, directory } = await started();
    await expect(connection.call('GetLocalListVersion', {})).resolves.toEqual({ listVersion: 0 });
    await expect(
      connection.call(
        'SendLocalList',
        full(5, [
          ['A', 'Accepted'],
          ['B', 'Blocked'],
        ]),
      ),
    ).resolves.toEqual({ status: 'Accepted' });
    await expect(
      connection.call('SendLocalList', {
        listVersion: 6,
        updateType: 'Differential',
        localAuthorizationList: [{ idTag: 'b' }, { idTag: 'C', idTagInfo: { status: 'Accepted' } }],
      }),
    ).resolves.toEqual({ status: 'Accepted' });
    await expect(connection.call('GetLocalListVersion', {})).resolves.toEqual({ listVersion: 6 });
    await chargePoint.stop();
    const restarted = testChargePoint(csms.url, { storage: { directory } }).chargePoint;
    restarted.start();
    await next(restarted, 'accepted');
    const again = csms.server.connections.get('CP1');
    await expect(again?.call('GetLocalListVersion', {})).resolves.toEqual({ listVersion: 6 });
    await expect(again?.call('SendLocalList', full(7, []))).resolves.toEqual({
      status: 'Accepted',
    });
    await expect(again?.call('GetLocalListVersion', {})).resolves.toEqual({ listVersion: 0 });
  });

  test.each([
    ['errata 3.52: listVersion 0', full(0, [['A', 'Accepted']]), 'Failed'],
    [
      '§6.41: an idTag twice, in another letter case',
      full(2, [
        ['A', 'Accepted'],
        ['a', 'Blocked'],
      ]),
      'Failed',
    ],
    [
      '§7.1: a Full entry without idTagInfo',
      { listVersion: 2, updateType: 'Full' as const, localAuthorizationList: [{ idTag: 'A' }] },
      'Failed',
    ],
    [
      '§7.47: a Differential not above the current version',
      { listVersion: 1, updateType: 'Differential' as const, localAuthorizationList: [] },
      'VersionMismatch',
    ],
    [
      'SendLocalListMaxLength: more entries than one message may carry',
      full(2, [
        ['A', 'Accepted'],
        ['B', 'Accepted'],
        ['C', 'Accepted'],
      ]),
      'Failed',
    ],
  ])('%s is answered %s and changes nothing', async (_, request, status) => {
    const { connection } = await started({
      configuration: { values: { SendLocalListMaxLength: 2 } },
    });
    await connection.call('SendLocalList', full(1, [['KEEP', 'Accepted']]));
    await expect(connection.call('SendLocalList', request)).resolves.toEqual({ status });
    await expect(connection.call('GetLocalListVersion', {})).resolves.toEqual({ listVersion: 1 });
  });

  test('LocalAuthListMaxLength: an update that would grow the list past it is Failed', async () => {
    const { connection } = await started({
      configuration: { values: { LocalAuthListMaxLength: 2 } },
    });
    await connection.call(
      'SendLocalList',
      full(1, [
        ['A', 'Accepted'],
        ['B', 'Accepted'],
      ]),
    );
    await expect(
      connection.call('SendLocalList', {
        listVersion: 2,
        updateType: 'Differential',
        localAuthorizationList: [{ idTag: 'C', idTagInfo: { status: 'Accepted' } }],
      }),
    ).resolves.toEqual({ status: 'Failed' });
  });

  test('§5.10/§5.15 without the profile: version -1 and NotSupported', async () => {
    const { connection } = await started({ profiles: ['Core'] });
    await expect(connection.call('GetLocalListVersion', {})).resolves.toEqual({ listVersion: -1 });
    await expect(connection.call('SendLocalList', full(1, []))).resolves.toEqual({
      status: 'NotSupported',
    });
  });
});

describe('Authorization Cache (§3.5.1, §5.4)', () => {
  test('errata 3.4: the cache survives a restart; ClearCache empties it', async () => {
    const { csms, chargePoint, verdicts, directory } = await started({
      configuration: { values: { LocalPreAuthorize: true } },
    });
    verdicts.set('AA01', { status: 'Accepted' });
    await chargePoint.authorize('AA01');
    await chargePoint.stop();
    const restarted = testChargePoint(csms.url, {
      storage: { directory },
      configuration: { values: { LocalPreAuthorize: true } },
    }).chargePoint;
    restarted.start();
    await next(restarted, 'accepted');
    await expect(restarted.authorize('AA01')).resolves.toMatchObject({ source: 'Cache' });
    await expect(csms.server.connections.get('CP1')?.call('ClearCache', {})).resolves.toEqual({
      status: 'Accepted',
    });
    verdicts.delete('AA01');
    await expect(restarted.authorize('AA01')).resolves.toMatchObject({
      accepted: false,
      source: 'Csms',
    });
  });

  test('§3.5.1: a full cache drops NOT-valid entries first, then the oldest valid ones', async () => {
    const { chargePoint, verdicts, goOffline } = await started({ authorizationCacheSize: 2 });
    verdicts.set('OK1', { status: 'Accepted' });
    verdicts.set('OK2', { status: 'Accepted' });
    verdicts.set('BAD', { status: 'Blocked' });
    await chargePoint.authorize('OK1');
    await chargePoint.authorize('BAD');
    await chargePoint.authorize('OK2');
    await goOffline();
    await expect(chargePoint.authorize('OK1')).resolves.toMatchObject({
      source: 'Cache',
      accepted: true,
    });
    await expect(chargePoint.authorize('OK2')).resolves.toMatchObject({
      source: 'Cache',
      accepted: true,
    });
    await expect(chargePoint.authorize('BAD')).resolves.toMatchObject({ source: 'UnknownOffline' });
  });
});
