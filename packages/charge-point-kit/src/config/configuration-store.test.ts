import { join } from 'node:path';
import { describe, expect, expectTypeOf, test } from 'vitest';
import type { KitStore } from '../storage/kit-store.js';
import { openTestStore, tempDirectory } from '../test-helpers/temp-store.js';
import { type ConfigurationChange, ConfigurationStore } from './configuration-store.js';
import { keyDefinitions } from './definitions.js';
import type { CustomKeyDefinition, ListedProfile } from './key-definition.js';

const meter = new Set(['Energy.Active.Import.Register', 'Power.Active.Import', 'Voltage', 'SoC']);

function configuration(
  store: KitStore,
  options: {
    profiles?: ListedProfile[];
    custom?: Record<string, CustomKeyDefinition>;
    onDiscarded?: (key: string, reason: string) => void;
  } = {},
) {
  return new ConfigurationStore({
    store,
    station: 'CP1',
    definitions: keyDefinitions(new Set(options.profiles ?? ['Core', 'LocalAuthListManagement']), {
      ...(options.custom === undefined ? {} : { custom: options.custom }),
    }),
    initial: new Map([['NumberOfConnectors', 2]]),
    measurands: meter,
    connectors: 2,
    ...(options.onDiscarded === undefined ? {} : { onDiscarded: options.onDiscarded }),
  });
}

function fresh(options?: Parameters<typeof configuration>[1]) {
  const file = join(tempDirectory(), 'kit.sqlite');
  return { file, config: configuration(openTestStore(file), options) };
}

describe('GetConfiguration (§5.8)', () => {
  test('without keys every key of the supported profiles is returned with its readonly flag', () => {
    const { config } = fresh();
    const { configurationKey = [] } = config.read(undefined);
    const byKey = new Map(configurationKey.map((k) => [k.key, k]));
    expect(byKey.get('HeartbeatInterval')).toEqual({
      key: 'HeartbeatInterval',
      readonly: false,
      value: '300',
    });
    expect(byKey.get('NumberOfConnectors')).toEqual({
      key: 'NumberOfConnectors',
      readonly: true,
      value: '2',
    });
    expect(byKey.get('LocalAuthListEnabled')?.value).toBe('true');
    // §9.3 keys exist only when the Reservation profile is supported.
    expect(byKey.has('ReserveConnectorZeroSupported')).toBe(false);
    expect(config.read([])).toEqual(config.read(undefined));
  });

  test('listed keys are matched case-insensitively; unrecognized ones go to unknownKey as sent', () => {
    const { config } = fresh();
    expect(
      config.read(['heartbeatinterval', 'NoSuchKey', 'ReserveConnectorZeroSupported']),
    ).toEqual({
      configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }],
      unknownKey: ['NoSuchKey', 'ReserveConnectorZeroSupported'],
    });
    expect(config.read(['MeterValuesSampledData'])).toEqual({
      configurationKey: [
        { key: 'MeterValuesSampledData', readonly: false, value: 'Energy.Active.Import.Register' },
      ],
    });
  });

  test('whitepaper §7.2: AuthorizationKey is listed without its value, before and after a change', async () => {
    const { config } = fresh();
    const key = '00112233445566778899AABBCCDDEEFF';
    expect(await config.change('AuthorizationKey', key)).toBe('Accepted');
    expect(config.get('AuthorizationKey')).toBe(key);
    expect(config.read(['AuthorizationKey'])).toEqual({
      configurationKey: [{ key: 'AuthorizationKey', readonly: false }],
    });
    expect(JSON.stringify(config.read(undefined))).not.toContain(key);
  });

  test('whitepaper §7.2: an AuthorizationKey under 16 bytes or not hexadecimal is Rejected', async () => {
    const { config } = fresh();
    expect(await config.change('AuthorizationKey', '00112233')).toBe('Rejected');
    expect(await config.change('AuthorizationKey', 'zz112233445566778899AABBCCDDEEFF')).toBe(
      'Rejected',
    );
    expect(config.get('AuthorizationKey')).toBe('');
  });
});

describe('ChangeConfiguration (§5.3)', () => {
  test.each([
    ['an unknown key', 'NoSuchKey', '1', 'NotSupported'],
    [
      'a key of an unsupported profile (§9.3)',
      'ReserveConnectorZeroSupported',
      'true',
      'NotSupported',
    ],
    ['a read-only key', 'NumberOfConnectors', '3', 'Rejected'],
    ['a non-integer', 'HeartbeatInterval', '30s', 'Rejected'],
    ['a fraction', 'HeartbeatInterval', '1.5', 'Rejected'],
    ['a negative WebSocketPingInterval (§9.1.34)', 'WebSocketPingInterval', '-1', 'Rejected'],
    ['a boolean that is not true/false', 'LocalPreAuthorize', 'yes', 'Rejected'],
    [
      'a measurand the meter lacks (errata 3.14.4)',
      'MeterValuesSampledData',
      'Energy.Active.Import.Register,Current.Import',
      'Rejected',
    ],
    ['an item that is no measurand', 'MeterValuesSampledData', 'Energy', 'Rejected'],
    [
      'a list over its MaxLength key',
      'MeterValuesSampledData',
      'Voltage.L1,Voltage.L2,Voltage.L3,Voltage,SoC,Power.Active.Import,Energy.Active.Import.Register,Voltage.N,Voltage.L1-N',
      'Rejected',
    ],
    ['a list with an empty item', 'StopTxnSampledData', 'Voltage,,SoC', 'Rejected'],
    ['a list naming an item twice', 'StopTxnSampledData', 'Voltage,Voltage', 'Rejected'],
    [
      'a phase rotation of a connector that does not exist (§9.1.7)',
      'ConnectorPhaseRotation',
      '3.RST',
      'Rejected',
    ],
  ])('%s is answered %s and changes nothing', async (_, key, value, status) => {
    const { config } = fresh();
    const before = config.read(undefined);
    expect(await config.change(key, value)).toBe(status);
    expect(config.read(undefined)).toEqual(before);
  });

  test('a CSMS setting MeterValuesSampledData and MeterValueSampleInterval gets exactly that (§9.1.17, §9.1.19)', async () => {
    const { config } = fresh();
    expect(
      await config.change(
        'MeterValuesSampledData',
        'Energy.Active.Import.Register,Power.Active.Import',
      ),
    ).toBe('Accepted');
    expect(await config.change('MeterValueSampleInterval', '60')).toBe('Accepted');
    expect(config.get('MeterValuesSampledData')).toEqual([
      'Energy.Active.Import.Register',
      'Power.Active.Import',
    ]);
    expect(config.get('MeterValueSampleInterval')).toBe(60);
    expectTypeOf(config.get('MeterValueSampleInterval')).toEqualTypeOf<number>();
    expectTypeOf(config.get('MeterValuesSampledData')).toEqualTypeOf<readonly string[]>();
    expectTypeOf(config.get('LocalPreAuthorize')).toEqualTypeOf<boolean>();
  });

  test('measurand.phase items and phase rotations per connector are accepted (§9.1.17, §9.1.7)', async () => {
    const { config } = fresh();
    expect(await config.change('MeterValuesSampledData', 'Voltage.L1,Voltage.L2-N')).toBe(
      'Accepted',
    );
    expect(await config.change('ConnectorPhaseRotation', '0.RST,1.RST')).toBe('Accepted');
    expect(await config.change('StopTxnSampledData', '')).toBe('Accepted');
    expect(config.get('StopTxnSampledData')).toEqual([]);
  });

  test('an accepted value is stored before the answer and survives a restart; R keys come from the charge point', async () => {
    const { file, config } = fresh();
    expect(await config.change('HeartbeatInterval', '42')).toBe('Accepted');
    expect(await config.change('TRANSACTIONMESSAGEATTEMPTS', '5')).toBe('Accepted');
    const reopened = configuration(openTestStore(file));
    expect(reopened.get('HeartbeatInterval')).toBe(42);
    expect(reopened.get('TransactionMessageAttempts')).toBe(5);
    expect(reopened.get('NumberOfConnectors')).toBe(2);
  });

  test('listeners hear a change after it is stored, not a refused one', async () => {
    const { config } = fresh();
    const heard: ConfigurationChange[] = [];
    config.onChange((change) => heard.push(change));
    await config.change('HeartbeatInterval', 'x');
    await config.change('HeartbeatInterval', '10');
    expect(heard).toEqual([{ key: 'HeartbeatInterval', value: 10, rebootRequired: false }]);
  });

  test('a custom key that needs a reboot answers RebootRequired and applies at the next start', async () => {
    const custom: Record<string, CustomKeyDefinition> = {
      DisplayLanguage: {
        type: 'csl',
        access: 'RW',
        default: ['en'],
        reboot: true,
        items: ['en', 'de', 'nl'],
        maxLengthKey: 'DisplayLanguageMaxLength',
      },
      DisplayLanguageMaxLength: { type: 'integer', access: 'R', default: 2 },
    };
    const { file, config } = fresh({ custom });
    expect(await config.change('DisplayLanguage', 'de,nl')).toBe('RebootRequired');
    expect(await config.change('DisplayLanguage', 'fr')).toBe('Rejected');
    expect(config.get('DisplayLanguage')).toEqual(['en']);
    expect(config.read(['DisplayLanguage']).configurationKey?.[0]?.value).toBe('de,nl');
    expect(configuration(openTestStore(file), { custom }).get('DisplayLanguage')).toEqual([
      'de',
      'nl',
    ]);
  });

  test('a stored value the key now refuses is discarded and reported, the default used', async () => {
    const { file, config } = fresh();
    await config.change('MeterValuesSampledData', 'SoC');
    const discarded: string[] = [];
    const store = openTestStore(file);
    const reopened = new ConfigurationStore({
      store,
      station: 'CP1',
      definitions: keyDefinitions(new Set(['Core']), {}),
      measurands: new Set(['Energy.Active.Import.Register']),
      connectors: 1,
      onDiscarded: (key, reason) => discarded.push(`${key}: ${reason}`),
    });
    expect(reopened.get('MeterValuesSampledData')).toEqual(['Energy.Active.Import.Register']);
    expect(discarded).toEqual([
      "MeterValuesSampledData: MeterValuesSampledData: the meter does not supply 'SoC'",
    ]);
  });

  test('set() from code refuses a bad value with INVALID_CONFIGURATION_VALUE naming the reason', async () => {
    const { config } = fresh();
    await expect(config.set('HeartbeatInterval', -5)).rejects.toMatchObject({
      code: 'INVALID_CONFIGURATION_VALUE',
      message: 'HeartbeatInterval must be at least 0',
    });
    // @ts-expect-error HeartbeatInterval is an integer key
    await expect(config.set('HeartbeatInterval', 'ten')).rejects.toMatchObject({
      code: 'INVALID_CONFIGURATION_VALUE',
    });
    await config.set('NumberOfConnectors', 2);
  });

  test('a custom key may not repeat a standard name in another letter case', () => {
    expect(() =>
      fresh({ custom: { heartbeatinterval: { type: 'integer', access: 'RW', default: 1 } } }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_CONFIGURATION_KEY' }));
  });
});
