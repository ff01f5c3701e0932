import { join } from 'node:path';
import type {
  GetLogRequest,
  GetLogResponse,
  LogStatusNotificationRequest,
  UploadLogStatus,
} from '@ocpp-kit/messages';
import type { Behaviour } from '../core/behaviour.js';
import type { FileSettings } from '../core/files/file-settings.js';
import { writeTarGz } from '../core/files/tar-archive.js';
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
 * GetLog (whitepaper N01): the security log (every event of section 8, N01.FR.03) or the
 * diagnostics (N01.FR.04) between oldestTimestamp and latestTimestamp, one gzip tar uploaded to
 * remoteLocation with retries; LogStatusNotification Uploading, then Uploaded or UploadFailure,
 * each with the request's requestId (N01.FR.07-10). A new GetLog cancels one under way and is
 * answered AcceptedCanceled (N01.FR.11).
 */
export function logsBehaviour(
  core: KitCore,
  options: { readonly files: FileSettings; readonly kitLog: KitLog },
) {
  const reports = new StatusReports(core, 'LogStatusNotification');
  const directory = join(options.files.directory, 'logs');
  let current: { readonly controller: AbortController; readonly requestId: number } | undefined;

  const statusOf = {
    refused: 'NotSupportedOperation',
    uploading: 'Uploading',
    uploaded: 'Uploaded',
    failed: 'UploadFailure',
  } as const satisfies Record<UploadStage, UploadLogStatus>;

  /** N01.FR.03: every entry of the security log within the range, as JSON lines. */
  const writeSecurityLog = (
    range: { readonly from: number | undefined; readonly to: number | undefined },
    file: string,
  ) => {
    const lines = core.securityEvents.log
      .entries({
        ...(range.from === undefined ? {} : { oldest: range.from }),
        ...(range.to === undefined ? {} : { latest: range.to }),
      })
      .map((entry) => `${JSON.stringify(entry)}\n`)
      .join('');
    return writeTarGz(file, [{ name: 'security-log.jsonl', bytes: Buffer.from(lines) }]);
  };

  const run = async (request: GetLogRequest, fileName: string, controller: AbortController) => {
    const { signal } = controller;
    const range = {
      from: timeOf(request.log.oldestTimestamp),
      to: timeOf(request.log.latestTimestamp),
    };
    try {
      await runUpload(core, {
        location: request.log.remoteLocation,
        directory,
        fileName,
        write: (file) =>
          request.logType === 'SecurityLog'
            ? writeSecurityLog(range, file)
            : writeDiagnostics(core, options.kitLog, range, file),
        report: (stage) =>
          signal.aborted
            ? Promise.resolve()
            : reports.report({ status: statusOf[stage], requestId: request.requestId }),
        retries: request.retries,
        retryIntervalSeconds: request.retryInterval,
        files: options.files,
        signal,
        name: 'logs',
      });
    } finally {
      if (current?.controller === controller) current = undefined;
    }
  };

  core.router.on('GetLog', (request): GetLogResponse => {
    const cancelled = current !== undefined;
    current?.controller.abort();
    const controller = new AbortController();
    current = { controller, requestId: request.requestId };
    const fileName = archiveName(
      core,
      request.logType === 'SecurityLog' ? 'security-log' : 'diagnostics-log',
    );
    core.timers.setTimeout(() => {
      run(request, fileName, controller).catch((error: unknown) =>
        core.logger.error('logs.failed', { error: String(error) }),
      );
    }, 0);
    return { status: cancelled ? 'AcceptedCanceled' : 'Accepted', filename: fileName };
  });

  const behaviour: Behaviour = { name: 'logs', stop: () => current?.controller.abort() };
  /** ExtendedTriggerMessage LogStatusNotification: Uploading with its requestId, else Idle (N01.FR.12). */
  const status = (): LogStatusNotificationRequest =>
    current !== undefined && reports.last?.status === 'Uploading'
      ? { status: 'Uploading', requestId: current.requestId }
      : { status: 'Idle' };
  return { behaviour, status };
}
