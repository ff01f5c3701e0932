// Given/want tests per emitter (openapi-typescript's pattern), beside the CLI snapshot test: a
// two-action manifest in, the exact declarations out, compiled by nothing but the emitter.
import { describe, expect, test } from 'vitest';
import { emitActions } from './emit-actions.js';
import { emitDescriptor } from './emit-descriptor.js';
import { emitEnumValues } from './emit-types.js';
import { emitValidatorWrappers } from './emit-validator-wrappers.js';
import type { Manifest } from './manifest.js';
import type { NamedType, TypeRegistry } from './type-registry.js';

const given: Manifest = {
  protocol: 'Probe 1.0',
  subprotocol: 'probe1.0',
  exportName: 'probe10',
  profiles: ['Core'],
  actions: [
    {
      action: 'Heartbeat',
      directions: ['ChargePointToCentralSystem'],
      profile: 'Core',
      request: 'Heartbeat.json',
      response: 'HeartbeatResponse.json',
      spec: { document: 'Probe', behaviour: '4.6', messages: '6.31' },
    },
    {
      action: 'Reset',
      directions: ['CentralSystemToChargePoint'],
      profile: 'Core',
      request: 'Reset.json',
      response: 'ResetResponse.json',
      spec: { document: 'Probe', behaviour: '5.14', messages: '6.47' },
    },
  ],
};

/** Whitespace- and quote-insensitive: prettier formats the emitters' output afterwards. */
const squash = (code: string) => code.replace(/\s+/g, ' ').replaceAll('"', "'").trim();

describe('emitActions', () => {
  const code = squash(emitActions(given, './types.js', '../runtime.js'));

  test('one table per direction, each action with its request and response types', () => {
    expect(code).toContain(
      squash(
        'export interface ChargePointToCentralSystemActions { /** Heartbeat (profile Core). Spec: Probe §4.6; messages §6.31. */ Heartbeat: { request: HeartbeatRequest; response: HeartbeatResponse }; }',
      ),
    );
    expect(code).toContain(
      squash(
        'export interface CentralSystemToChargePointActions { /** Reset (profile Core). Spec: Probe §5.14; messages §6.47. */ Reset: { request: ResetRequest; response: ResetResponse }; }',
      ),
    );
  });

  test('imports exactly the message types of the manifest, types only', () => {
    expect(code).toContain(
      squash(
        "import type { HeartbeatRequest, HeartbeatResponse, ResetRequest, ResetResponse } from './types.js';",
      ),
    );
    expect(code).toContain(squash("import type { OtherSide, Side } from '../runtime.js';"));
  });
});

describe('emitDescriptor', () => {
  const code = squash(emitDescriptor(given, '../runtime.js'));

  test('every action with directions, profile, spec and its two validators, frozen', () => {
    expect(code).toContain(
      squash(
        '["Reset", Object.freeze({ name: "Reset", directions: Object.freeze(["CentralSystemToChargePoint"] as const), profile: "Core", spec: "Probe §5.14; messages §6.47", validateRequest: validateResetRequest, validateResponse: validateResetResponse })],',
      ),
    );
    expect(code).toContain(squash('export const probe10: ProtocolDescriptor<'));
    expect(code).toContain(squash('subprotocol: "probe1.0",'));
  });

  test('imports the four validators, sorted', () => {
    expect(code).toContain(
      squash(
        "import { validateHeartbeatRequest, validateHeartbeatResponse, validateResetRequest, validateResetResponse } from './validators.js';",
      ),
    );
  });
});

describe('emitValidatorWrappers', () => {
  const code = squash(
    emitValidatorWrappers(
      [
        { rawName: 'ResetRequest', module: './ajv-b.js', file: 'Reset.json' },
        { rawName: 'HeartbeatRequest', module: './ajv-a.js', file: 'Heartbeat.json' },
      ],
      '../runtime.js',
    ),
  );

  test('one adapted Validator per schema, imports grouped by module', () => {
    expect(code).toContain(
      squash(
        '/** Validates a payload against Reset.json. */ export const validateResetRequest: Validator = adapt(ResetRequest);',
      ),
    );
    expect(code).toContain(squash("import type { AjvError } from './ajv-a.js';"));
    expect(code).toContain(squash("import { HeartbeatRequest } from './ajv-a.js';"));
    expect(code).toContain(squash("import { ResetRequest } from './ajv-b.js';"));
    expect(code).toContain(squash('function adapt(validate:'));
  });
});

describe('emitEnumValues', () => {
  const reset: NamedType = {
    name: 'ResetType',
    kind: 'enum',
    shape: { type: 'string', enum: ['Hard', 'Soft'] },
    locations: ['Reset.json#/properties/type'],
    canonical: '',
  };
  const registry: TypeRegistry = { messages: [], named: [reset] };

  test('each enum as an as-const array that must satisfy its type', () => {
    expect(squash(emitEnumValues(registry, './types.js'))).toBe(
      squash(
        'import type { ResetType } from "./types.js"; /** Every value of {@link ResetType}, in schema order. */ export const resetTypeValues = ["Hard", "Soft"] as const satisfies readonly ResetType[];',
      ),
    );
  });
});
