import { join } from 'node:path';
import type { DiagnosticsStatus, GetDiagnosticsRequest } from '@ocpp-kit/messages';
import type { Behaviour } from '../core/behaviour.js';
import type { FileSettings } from '../core/files/file-settings.js';
import {
  archiveName,
  runUpload,
  timeOf,
  type UploadStage,
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

  const statusOf = {
    refused: 'UploadFailed',
    uploading: 'Uploading',
    uploaded: 'Uploaded',
    failed: 'UploadFailed',
  } as const satisfies Record<UploadStage, DiagnosticsStatus>;

  const run = async (
    request: GetDiagnosticsRequest,
    fileName: string,
    controller: AbortController,
  ): Promise<void> => {
    const { signal } = controller;
    try {
      await runUpload(core, {
        location: request.location,
        directory,
        fileName,
        write: (file) =>
          writeDiagnostics(
            core,
            options.kitLog,
            { from: timeOf(request.startTime), to: timeOf(request.stopTime) },
            file,
          ),
        report: (stage) =>
          signal.aborted ? Promise.resolve() : reports.report({ status: statusOf[stage] }),
        retries: request.retries,
        retryIntervalSeconds: request.retryInterval,
        files: options.files,
        signal,
        name: 'diagnostics',
      });
    } finally {
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
