// OCPP 1.6 users need one import: the generated descriptor is re-exported beside the engine,
// which itself stays generic over any `ProtocolDescriptor`.
export { ocpp16 } from '@ocpp-kit/messages';
export type {
  BadMessageReason,
  RpcSessionEventName,
  RpcSessionEvents,
  RpcSessionListener,
} from './engine/events.js';
export type { InMemoryLink } from './engine/in-memory-link.js';
export { linkInMemory } from './engine/in-memory-link.js';
export type { RpcSessionOptions, ValidationOptions, ValidationSwitches } from './engine/options.js';
export type { AnyHandler, Handler, HandlerContext, NoExtraProperties } from './engine/router.js';
export { createRouter, Router } from './engine/router.js';
export { RpcSession } from './engine/session.js';
export type {
  ActionName,
  AnyProtocol,
  CallOptions,
  CallRequest,
  CallResponse,
  FrameSink,
  HandledAction,
  HandledRequest,
  HandledResponse,
  SendableAction,
} from './engine/types.js';
export { callErrorCodeOf } from './engine/validation-errors.js';
export type { CallErrorCode, LocalErrorCode, RpcErrorCode, RpcErrorOptions } from './errors.js';
export {
  callErrorCodes,
  isCallErrorCode,
  localErrorCodes,
  normalizeCallErrorCode,
  RpcError,
  rpcErrorCodes,
} from './errors.js';
