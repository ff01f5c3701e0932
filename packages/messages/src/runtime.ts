// What generated code imports: the protocol contract and the format checks. The committed
// output imports it as `../runtime.js`; a package of your own imports `@ocpp-kit/messages`.
export { isDateTime, isUri } from './formats.js';
export type {
  ActionDescriptor,
  OtherSide,
  ProtocolDescriptor,
  Side,
  ValidationFailure,
  ValidationKeyword,
  Validator,
} from './protocol.js';
