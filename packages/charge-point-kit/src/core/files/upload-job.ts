import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { KitCore } from '../kit-core.js';
import type { KitLog } from '../kit-log.js';
import { type FileSettings, targetOf, transferOptionsOf } from './file-settings.js';
import { type ArchiveEntry, writeTarGz } from './tar-archive.js';
import { type TransferTarget, upload } from './transfer.js';

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(core: KitCore, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const handle = core.timers.setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      core.timers.clearTimeout(handle);
      resolve();
    });
  });
}

/**
 * Uploads `file` as `fileName` into `target`: the first attempt and `retries` more (errata 3.50),
 * `retryIntervalSeconds` apart (the charge point's defaults when the request names none).
 * Resolves true once uploaded, false when every attempt failed or `signal` aborted.
 */
export async function uploadWithRetries(
  core: KitCore,
  job: {
    readonly target: TransferTarget;
    readonly file: string;
    readonly fileName: string;
    readonly retries: number | undefined;
    readonly retryIntervalSeconds: number | undefined;
    readonly files: FileSettings;
    readonly signal: AbortSignal;
    /** The log event of a failed attempt. */
    readonly event: string;
  },
): Promise<boolean> {
  const attempts = 1 + (job.retries ?? job.files.defaultRetries);
  const intervalMs = (job.retryIntervalSeconds ?? job.files.defaultRetryIntervalSeconds) * 1000;
  for (let attempt = 1; attempt <= attempts && !job.signal.aborted; attempt++) {
    try {
      await upload(job.target, job.file, job.fileName, transferOptionsOf(job.files, job.signal));
      return true;
    } catch (error) {
      core.logger.warn(job.event, { attempt, of: attempts, error: (error as Error).message });
    }
    if (attempt < attempts) await pause(core, intervalMs, job.signal);
  }
  return false;
}

/**
 * The diagnostics archive (§5.9, N01 DiagnosticsLog): the kit's own log and the adapter's
 * diagnostics files within `from`..`to` (epoch ms), as one gzip tar in `file`.
 */
export async function writeDiagnostics(
  core: KitCore,
  kitLog: KitLog,
  range: { readonly from: number | undefined; readonly to: number | undefined },
  file: string,
): Promise<void> {
  let files: readonly string[] = [];
  try {
    files = (await core.hardware.diagnosticsFiles?.(range)) ?? [];
  } catch (error) {
    core.logger.warn('diagnostics.adapterFailed', { error: String(error) });
  }
  const entries: ArchiveEntry[] = [
    { name: 'kit-log.jsonl', bytes: Buffer.from(kitLog.lines(range.from, range.to)) },
    ...files.map((path) => ({ name: path, file: path })),
  ];
  await writeTarGz(file, entries);
}

/** A file name a CSMS can store: the charge point identity made safe, a UTC time stamp. */
export function archiveName(core: KitCore, kind: string): string {
  const stamp = new Date(core.now()).toISOString().replace(/[-:]|\.\d+/g, '');
  return `${kind}-${core.station.replace(/[^A-Za-z0-9._-]/g, '_')}-${stamp}.tar.gz`.slice(0, 255);
}

/** An ISO time of a request as epoch ms, or undefined. */
export function timeOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const at = Date.parse(text);
  return Number.isFinite(at) ? at : undefined;
}

/** What an upload job reports: the protocol refused, uploading, uploaded or failed. */
export type UploadStage = 'refused' | 'uploading' | 'uploaded' | 'failed';

/**
 * One upload job of GetDiagnostics or GetLog: the location checked, the archive written by
 * `write` into a file of its own in `directory` (a request replacing this one may take the same
 * name), uploaded with retries as `fileName`, each stage reported, the file removed after.
 */
export async function runUpload(
  core: KitCore,
  job: {
    readonly location: string;
    readonly directory: string;
    readonly fileName: string;
    readonly write: (file: string) => Promise<void>;
    readonly report: (stage: UploadStage) => Promise<void>;
    readonly retries: number | undefined;
    readonly retryIntervalSeconds: number | undefined;
    readonly files: FileSettings;
    readonly signal: AbortSignal;
    /** The log event prefix (`diagnostics`, `logs`). */
    readonly name: string;
  },
): Promise<void> {
  const target = targetOf(core, job.location);
  if ('refusal' in target) {
    core.logger.warn(`${job.name}.location`, { refusal: target.refusal });
    return job.report('refused');
  }
  mkdirSync(job.directory, { recursive: true });
  const file = join(job.directory, `${randomUUID()}.tar.gz`);
  try {
    await job.write(file);
    await job.report('uploading');
    const uploaded = await uploadWithRetries(core, {
      target,
      file,
      fileName: job.fileName,
      retries: job.retries,
      retryIntervalSeconds: job.retryIntervalSeconds,
      files: job.files,
      signal: job.signal,
      event: `${job.name}.uploadFailed`,
    });
    await job.report(uploaded ? 'uploaded' : 'failed');
  } finally {
    await rm(file, { force: true });
  }
}
