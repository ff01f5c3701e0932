// OCPP 1.6 users need one import: the generated descriptor and every generated type (payloads,
// enums, action maps) are re-exported beside the engine, which stays generic over any
// `ProtocolDescriptor`.
export type * from '@ocpp-kit/messages';
export { ocpp16 } from '@ocpp-kit/messages';
export type { CommandOf, CommandResponseOf } from './engine/command.js';
export { isSendableAction, parseCommand } from './engine/command.js';
export type {
  BadMessageReason,
  RpcSessionEventName,
  RpcSessionEvents,
  RpcSessionListener,
} from './engine/events.js';
export { badMessageReasons } from './engine/events.js';
export type {
  DecodedCall,
  DecodedError,
  DecodedFrame,
  DecodedResult,
  MalformedFrame,
} from './engine/frame.js';
export { decodeFrame, encodeCall, encodeCallError, encodeResult } from './engine/frame.js';
export type { InMemoryLink } from './engine/in-memory-link.js';
export { linkInMemory } from './engine/in-memory-link.js';
export type { RpcSessionOptions, ValidationOptions, ValidationSwitches } from './engine/options.js';
export type { AnyHandler, Handler, HandlerContext, NoExtraProperties } from './engine/router.js';
export { createRouter, Router } from './engine/router.js';
export { RpcSession } from './engine/session.js';
export type {
  ActionOf,
  AnyProtocol,
  CallOptions,
  CallRequest,
  CallResponse,
  CheckHandled,
  CheckSendable,
  DirectionOf,
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

// ---- WebSocket transport and security profiles (transport/) ----
export type { BackoffOptions } from './transport/backoff.js';
export { backoffDelay, defaultBackoff } from './transport/backoff.js';
export type {
  ClientCloseEvent,
  ClientOptions,
  ClientSessionEvents,
  ClientSessionOptions,
  ClientStatus,
  ConnectFailedEvent,
  GaveUpEvent,
  OcppClientEvents,
  OpenEvent,
  ReconnectingEvent,
} from './transport/client.js';
export { createClient, OcppClient } from './transport/client.js';
export { closeCodes } from './transport/close-codes.js';
export type {
  AuthenticateResult,
  HandshakeContext,
  HandshakeRejection,
} from './transport/handshake.js';
export { connectionUrl, defaultMaxIdentityLength } from './transport/identity.js';
export type {
  ClientTlsOptions,
  SecurityProfile,
  ServerTlsOptions,
} from './transport/security-profile.js';
export {
  defaultCipherSuites,
  minimumTlsVersion,
  requiredTls12CipherSuites,
} from './transport/security-profile.js';
export type {
  ConnectionEvent,
  ConnectionFailedEvent,
  ConnectionInfo,
  DisconnectEvent,
  HandshakeRejectedEvent,
  OcppServerEvents,
  ServerOptions,
  ServerSessionEvent,
  ServerSessionEvents,
  ServerSessionOptions,
  StalledEvent,
} from './transport/server.js';
export { createServer, OcppServer } from './transport/server.js';
// A type only: the server constructs connections (`client` event, `server.connections`).
export type { ServerConnection } from './transport/server-connection.js';
export type { HandshakeFailureDetails, TlsSecurityEvent } from './transport/tls-security-event.js';
export { handshakeSecurityEvent, tlsSecurityEvents } from './transport/tls-security-event.js';
