// A tiny hand-written protocol for transport tests, so they do not depend on generated code.
import type { ProtocolDescriptor, ValidationFailure, Validator } from '@ocpp-kit/messages';

type HeartbeatRequest = Record<string, never>;
interface HeartbeatResponse {
  currentTime: string;
}
interface ResetRequest {
  type: 'Hard' | 'Soft';
}
interface ResetResponse {
  status: 'Accepted' | 'Rejected';
}

type ToCentralSystem = { Heartbeat: { request: HeartbeatRequest; response: HeartbeatResponse } };
type ToChargePoint = { Reset: { request: ResetRequest; response: ResetResponse } };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks an object with one required enum/string property and nothing else. */
function objectWith(property: string | undefined, values?: readonly string[]): Validator {
  return (payload) => {
    const failures: ValidationFailure[] = [];
    if (!isObject(payload))
      return [{ instancePath: '', keyword: 'type', message: 'must be object' }];
    for (const key of Object.keys(payload)) {
      if (key !== property) {
        failures.push({
          instancePath: '',
          keyword: 'additionalProperties',
          property: key,
          message: `unexpected ${key}`,
        });
      }
    }
    if (property !== undefined) {
      const value = payload[property];
      if (value === undefined) {
        failures.push({
          instancePath: '',
          keyword: 'required',
          property,
          message: `${property} is required`,
        });
      } else if (typeof value !== 'string') {
        failures.push({ instancePath: `/${property}`, keyword: 'type', message: 'must be string' });
      } else if (values !== undefined && !values.includes(value)) {
        failures.push({
          instancePath: `/${property}`,
          keyword: 'enum',
          message: `must be one of ${values.join(', ')}`,
        });
      }
    }
    return failures.length === 0 ? undefined : failures;
  };
}

export const testProtocol: ProtocolDescriptor<ToCentralSystem, ToChargePoint> = {
  subprotocol: 'ocpp1.6',
  actions: new Map([
    [
      'Heartbeat',
      {
        name: 'Heartbeat',
        directions: ['ChargePointToCentralSystem'],
        profile: 'Core',
        spec: 'test',
        validateRequest: objectWith(undefined),
        validateResponse: objectWith('currentTime'),
      },
    ],
    [
      'Reset',
      {
        name: 'Reset',
        directions: ['CentralSystemToChargePoint'],
        profile: 'Core',
        spec: 'test',
        validateRequest: objectWith('type', ['Hard', 'Soft']),
        validateResponse: objectWith('status', ['Accepted', 'Rejected']),
      },
    ],
  ]),
};
