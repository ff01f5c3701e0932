import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DiagnosticsStatus, GetDiagnosticsRequest } from '@ocpp-kit/messages';
import type { Behaviour } from '../core/behaviour.js';
import { type FileSettings, targetOf } from '../core/files/file-settings.js';
import {
  archiveName,
  timeOf,
  uploadWithRetries,
  writeDiagnostics,
} from '../core/files/upload-job.js';
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
    // A file of its own: a request replacing this one may have the same name.
    const file = join(directory, `${randomUUID()}.tar.gz`);
    try {
      await writeDiagnostics(
        core,
        options.kitLog,
        { from: timeOf(request.startTime), to: timeOf(request.stopTime) },
        file,
      );
      await report('Uploading');
      const uploaded = await uploadWithRetries(core, {
        target,
        file,
        fileName,
        retries: request.retries,
        retryIntervalSeconds: request.retryInterval,
        files: options.files,
        signal,
        event: 'diagnostics.uploadFailed',
      });
      await report(uploaded ? 'Uploaded' : 'UploadFailed');
    } finally {
      await rm(file, { force: true });
      if (current === controller) current = undefined;
    }
  };

  core.router.on('GetDiagnostics', (request) => {
    current?.abort();
    const controller = new AbortController();
    current = controller;
    const fileName = archiveName(core, 'diagnostics');
    // §5.9: the answer names the file; the upload follows it.
    core.timers.setTimeout(() => {
      run(request, fileName, controller).catch((error: unknown) => {
        core.logger.error('diagnostics.failed', { error: String(error) });
      });
    }, 0);
    return { fileName };
  });

  const behaviour: Behaviour = { name: 'diagnostics', stop: () => current?.abort() };
  /** TriggerMessage DiagnosticsStatusNotification (§4.4): Uploading while busy, else Idle. */
  const status = (): DiagnosticsStatus =>
    current !== undefined && reports.last?.status === 'Uploading' ? 'Uploading' : 'Idle';
  return { behaviour, status };
}
