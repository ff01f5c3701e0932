import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DiagnosticsStatus, GetDiagnosticsRequest } from '@ocpp-kit/messages';
import type { Behaviour } from '../core/behaviour.js';
import { type FileSettings, targetOf, transferOptionsOf } from '../core/files/file-settings.js';
import { type ArchiveEntry, writeTarGz } from '../core/files/tar-archive.js';
import { upload } from '../core/files/transfer.js';
import type { KitCore } from '../core/kit-core.js';
import type { KitLog } from '../core/kit-log.js';
import { StatusReports } from '../core/status-reports.js';

/**
 * GetDiagnostics (§4.4, §5.9, errata 3.31, 3.50): answered with the file's name, then one
 * gzip-compressed tar of the kit's own log and the adapter's diagnostics files within
 * startTime..stopTime is uploaded to the location, retried `retries` times `retryInterval`
 * apart, with DiagnosticsStatusNotification Uploading, then Uploaded or UploadFailed. A newer
 * request replaces one under way. TriggerMessage gets Uploading while busy, else Idle.
 */
export function diagnosticsBehaviour(
  core: KitCore,
  options: { readonly files: FileSettings; readonly kitLog: KitLog },
) {
  const reports = new StatusReports(core, 'DiagnosticsStatusNotification');
  const directory = join(options.files.directory, 'diagnostics');
  let current: AbortController | undefined;

  const wait = (ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      const handle = core.timers.setTimeout(resolve, ms);
      signal.addEventListener('abort', () => {
        core.timers.clearTimeout(handle);
        resolve();
      });
    });

  const collect = async (request: GetDiagnosticsRequest, file: string): Promise<void> => {
    const from = timeOf(request.startTime);
    const to = timeOf(request.stopTime);
    let files: readonly string[] = [];
    try {
      files = (await core.hardware.diagnosticsFiles?.({ from, to })) ?? [];
    } catch (error) {
      core.logger.warn('diagnostics.adapterFailed', { error: String(error) });
    }
    const entries: ArchiveEntry[] = [
      { name: 'kit-log.jsonl', bytes: Buffer.from(options.kitLog.lines(from, to)) },
      ...files.map((path) => ({ name: path, file: path })),
    ];
    await writeTarGz(file, entries);
  };

  const run = async (
    request: GetDiagnosticsRequest,
    fileName: string,
    controller: AbortController,
  ): Promise<void> => {
    const { signal } = controller;
    const report = (status: DiagnosticsStatus) =>
      signal.aborted ? Promise.resolve() : reports.report({ status });
    const target = targetOf(core, request.location);
    if ('refusal' in target) {
      core.logger.warn('diagnostics.location', { refusal: target.refusal });
      return report('UploadFailed');
    }
    mkdirSync(directory, { recursive: true });
    const file = join(directory, fileName);
    try {
      await collect(request, file);
      await report('Uploading');
      const attempts = 1 + (request.retries ?? options.files.defaultRetries);
      const intervalMs =
        (request.retryInterval ?? options.files.defaultRetryIntervalSeconds) * 1000;
      for (let attempt = 1; attempt <= attempts && !signal.aborted; attempt++) {
        try {
          await upload(target, file, fileName, transferOptionsOf(options.files, signal));
          return await report('Uploaded');
        } catch (error) {
          core.logger.warn('diagnostics.uploadFailed', {
            attempt,
            of: attempts,
            error: (error as Error).message,
          });
        }
        if (attempt < attempts) await wait(intervalMs, signal);
      }
      await report('UploadFailed');
    } finally {
      await rm(file, { force: true });
      if (current === controller) current = undefined;
    }
  };

  core.router.on('GetDiagnostics', (request) => {
    current?.abort();
    const controller = new AbortController();
    current = controller;
    const stamp = new Date(core.now()).toISOString().replace(/[-:]|\.\d+/g, '');
    const fileName = `diagnostics-${core.station.replace(/[^A-Za-z0-9._-]/g, '_')}-${stamp}.tar.gz`;
    // §5.9: the answer names the file; the upload follows it.
    core.timers.setTimeout(() => {
      run(request, fileName, controller).catch((error: unknown) => {
        core.logger.error('diagnostics.failed', { error: String(error) });
      });
    }, 0);
    return { fileName: fileName.slice(0, 255) };
  });

  const behaviour: Behaviour = { name: 'diagnostics', stop: () => current?.abort() };
  /** TriggerMessage DiagnosticsStatusNotification (§4.4): Uploading while busy, else Idle. */
  const status = (): DiagnosticsStatus =>
    current !== undefined && reports.last?.status === 'Uploading' ? 'Uploading' : 'Idle';
  return { behaviour, status };
}

function timeOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const at = Date.parse(text);
  return Number.isFinite(at) ? at : undefined;
}
