import type { SecureContextOptions } from 'node:tls';
import { ChargePointKitError } from '../../errors.js';
import { ftpDownload, ftpUpload } from './ftp-transfer.js';
import { httpDownload, httpUpload } from './http-transfer.js';

/** SupportedFileTransferProtocols' values (chapter 8, errata 3.90). */
export const transferProtocols = ['FTP', 'FTPS', 'HTTP', 'HTTPS'] as const;
export type TransferProtocol = (typeof transferProtocols)[number];

/** How transfers behave: the CAs trusted for HTTPS/FTPS, the size cap, the idle timeout. */
export interface TransferOptions {
  /** Trusted roots for HTTPS and FTPS (PEM); absent: Node's default roots. */
  readonly ca?: SecureContextOptions['ca'];
  /** A download larger than this fails (no peer fills the disk). */
  readonly maxBytes: number;
  /** A connection or transfer silent for this long fails. */
  readonly idleTimeoutMs: number;
  readonly signal?: AbortSignal;
}

/** What a download wrote: bytes in the file, and how many of them an earlier attempt had left. */
export interface DownloadResult {
  readonly bytes: number;
  readonly resumedFrom: number;
}

/** A location the CSMS gave, checked: a URL of a protocol this charge point supports. */
export interface TransferTarget {
  readonly protocol: TransferProtocol;
  readonly url: URL;
}

/** The location of an UpdateFirmware / GetDiagnostics as a target, or why it cannot be one. */
export function transferTarget(
  location: string,
  supported: readonly string[],
): TransferTarget | { readonly refusal: string } {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return { refusal: `location is not a URL: ${JSON.stringify(location.slice(0, 100))}` };
  }
  const protocol = url.protocol.slice(0, -1).toUpperCase();
  if (!(transferProtocols as readonly string[]).includes(protocol))
    return { refusal: `${url.protocol} is not a file transfer protocol (chapter 8)` };
  if (!supported.includes(protocol))
    return {
      refusal: `${protocol} is not in SupportedFileTransferProtocols (${supported.join(',')})`,
    };
  return { protocol: protocol as TransferProtocol, url };
}

/**
 * Downloads `target` into `file`, streamed to disk (never whole in memory): bytes already in
 * `file` from an interrupted attempt are kept and the rest asked for (FTP REST, HTTP Range,
 * chapter 8), unless the server cannot resume. The file is fsynced before this resolves.
 */
export function download(
  target: TransferTarget,
  file: string,
  options: TransferOptions,
): Promise<DownloadResult> {
  return target.protocol === 'FTP' || target.protocol === 'FTPS'
    ? ftpDownload(target, file, options)
    : httpDownload(target, file, options);
}

/**
 * Uploads `file` as `fileName` into the directory `target` names (§5.9: the location is a
 * directory): FTP(S) STOR, HTTP(S) PUT of the raw bytes to `<location>/<fileName>`.
 */
export function upload(
  target: TransferTarget,
  file: string,
  fileName: string,
  options: TransferOptions,
): Promise<void> {
  return target.protocol === 'FTP' || target.protocol === 'FTPS'
    ? ftpUpload(target, file, fileName, options)
    : httpUpload(target, file, fileName, options);
}

/** A failed transfer, naming the location without its credentials. */
export function transferFailed(
  target: TransferTarget,
  what: string,
  cause: unknown,
): ChargePointKitError {
  const shown = new URL(target.url);
  shown.username = '';
  shown.password = '';
  return new ChargePointKitError(
    'TRANSFER_FAILED',
    `${what} ${shown.href} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
    { cause },
  );
}
