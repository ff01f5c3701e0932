import type { SecureContextOptions } from 'node:tls';
import type { KitCore } from '../kit-core.js';
import {
  type TransferOptions,
  type TransferTarget,
  transferProtocols,
  transferTarget,
} from './transfer.js';

/** How the kit moves files (UpdateFirmware, GetDiagnostics, GetLog), set by the wiring. */
export interface FileSettings {
  /** Where downloads and the archives being uploaded are kept. */
  readonly directory: string;
  readonly maxBytes: number;
  readonly idleTimeoutMs: number;
  readonly ca: SecureContextOptions['ca'] | undefined;
  /** Retries when the request names none (§6.25, §6.55: left to the charge point). */
  readonly defaultRetries: number;
  readonly defaultRetryIntervalSeconds: number;
}

/** The transfer options for one transfer. */
export function transferOptionsOf(settings: FileSettings, signal?: AbortSignal): TransferOptions {
  return {
    maxBytes: settings.maxBytes,
    idleTimeoutMs: settings.idleTimeoutMs,
    ...(settings.ca === undefined ? {} : { ca: settings.ca }),
    ...(signal === undefined ? {} : { signal }),
  };
}

/**
 * A location checked against SupportedFileTransferProtocols (errata 3.90; a key of Firmware
 * Management: without that profile, GetLog may use every protocol the kit has).
 */
export function targetOf(core: KitCore, location: string): TransferTarget | { refusal: string } {
  const { config } = core;
  const supported = config.has('SupportedFileTransferProtocols')
    ? config.get('SupportedFileTransferProtocols')
    : transferProtocols;
  return transferTarget(location, supported);
}
