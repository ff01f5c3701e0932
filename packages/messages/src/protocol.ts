// The contract between generated protocol packages and rpc-core. rpc-core is generic over
// `ProtocolDescriptor`, so another OCPP version plugs in by generating another descriptor.

/** Who sends a message, as named in OCPP 1.6 chapters 4 and 5. */
export type Direction = 'ChargePointToCentralSystem' | 'CentralSystemToChargePoint';

/** The two ends of an OCPP-J connection. */
export type Side = 'ChargePoint' | 'CentralSystem';

/** JSON-schema keywords a generated validator can report. */
export const validationKeywords = [
  'required',
  'type',
  'enum',
  'const',
  'maxLength',
  'minLength',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'additionalProperties',
  'additionalItems',
  'dependencies',
  'anyOf',
  'oneOf',
  'allOf',
  'not',
] as const;
export type ValidationKeyword = (typeof validationKeywords)[number];

/** One reason a payload does not match its schema. */
export interface ValidationFailure {
  /** JSON pointer to the failing value (`''` for the payload itself, `/idTagInfo/status`). */
  readonly instancePath: string;
  /** The schema keyword that failed. */
  readonly keyword: ValidationKeyword;
  /** For `required` and `additionalProperties`: the property that is missing or extra. */
  readonly property?: string;
  /** Human-readable reason, naming the field. */
  readonly message: string;
}

/**
 * A precompiled validator: `undefined` when the payload is valid (no allocation on the
 * happy path), otherwise a non-empty list of failures.
 */
export type Validator = (payload: unknown) => readonly ValidationFailure[] | undefined;

/** Run-time facts about one action. */
export interface ActionDescriptor<Name extends string = string, Profile extends string = string> {
  readonly name: Name;
  readonly directions: readonly Direction[];
  readonly profile: Profile;
  /** Where the spec defines the action, e.g. `OCPP 1.6 ed.2 §4.2; messages §6.3, §6.4`. */
  readonly spec: string;
  readonly validateRequest: Validator;
  readonly validateResponse: Validator;
}

/** The request/response pair of one action. */
export interface ActionSignature {
  readonly request: object;
  readonly response: object;
}

/** An action table: action name -> request/response types. */
export type ActionTable<T> = { readonly [K in keyof T]: ActionSignature };

/**
 * A generated protocol: its subprotocol name, every action with its validators, and (type
 * level only) the direction-aware action tables rpc-core infers its API from.
 */
export interface ProtocolDescriptor<
  ToCentralSystem extends ActionTable<ToCentralSystem> = ActionTable<Record<string, never>>,
  ToChargePoint extends ActionTable<ToChargePoint> = ActionTable<Record<string, never>>,
  Profile extends string = string,
> {
  /** WebSocket subprotocol, e.g. `ocpp1.6` (OCPP-J 1.6 §3.1.2). */
  readonly subprotocol: string;
  /** Every known action. A `Map`, so a peer's action name can never reach `__proto__`. */
  readonly actions: ReadonlyMap<string, ActionDescriptor<string, Profile>>;
  /** Type carrier, never set at run time. */
  readonly types?: {
    readonly ChargePointToCentralSystem: ToCentralSystem;
    readonly CentralSystemToChargePoint: ToChargePoint;
  };
}

type TablesOf<D> =
  D extends ProtocolDescriptor<infer C, infer P, string>
    ? { ChargePointToCentralSystem: C; CentralSystemToChargePoint: P }
    : never;

/** The action table of messages that `S` sends as CALLs. */
export type SentTableOf<D, S extends Side> = S extends 'ChargePoint'
  ? TablesOf<D>['ChargePointToCentralSystem']
  : TablesOf<D>['CentralSystemToChargePoint'];

/** The action table of CALLs that `S` receives and must handle. */
export type HandledTableOf<D, S extends Side> = SentTableOf<D, OtherSide<S>>;

export type OtherSide<S extends Side> = S extends 'ChargePoint' ? 'CentralSystem' : 'ChargePoint';
