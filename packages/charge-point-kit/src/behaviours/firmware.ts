import { mkdirSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FirmwareStatus, UpdateFirmwareRequest } from '@ocpp-kit/messages';
import type { Behaviour } from '../core/behaviour.js';
import { type FileSettings, targetOf, transferOptionsOf } from '../core/files/file-settings.js';
import { download } from '../core/files/transfer.js';
import type { KitCore } from '../core/kit-core.js';
import { StatusReports } from '../core/status-reports.js';
import { Timer } from '../core/timers.js';
import { deleteState, loadState, putState } from '../storage/state-table.js';

/** Where an update is; stored at every step, so a restart resumes it or reports its failure. */
type Phase = 'waiting' | 'downloading' | 'downloaded' | 'installing' | 'installed';

interface FirmwareJob {
  readonly location: string;
  /** Epoch ms of retrieveDate. */
  readonly retrieveAt: number;
  /** Attempts allowed in all: the first and `retries` more (§6.55). */
  readonly attempts: number;
  readonly retryIntervalMs: number;
  /** Attempts started so far. */
  readonly attempt: number;
  readonly phase: Phase;
  /** BootNotification's firmwareVersion when the installation began. */
  readonly fromVersion?: string;
}

const stateName = 'firmware';
const busy = new Set<FirmwareStatus>(['Downloading', 'Downloaded', 'Installing']);

/**
 * UpdateFirmware (§4.5, §5.19, errata 3.12, 3.47-3.49, 3.63): from retrieveDate the image is
 * downloaded (retries, retryInterval, resumed after the bytes it has), then installed by the
 * adapter once no transaction runs (connectors not in use are Unavailable meanwhile), the charge
 * point rebooted and Installed reported after the boot. Every step is stored first and announced
 * with a FirmwareStatusNotification; TriggerMessage gets the current status, Idle when none.
 */
export function firmwareBehaviour(
  core: KitCore,
  options: { readonly files: FileSettings; readonly firmwareVersion: string | undefined },
) {
  const { store, station, hardware, connectors, sessions } = core;
  const directory = join(options.files.directory, 'firmware');
  const imageFile = join(directory, 'image.bin');
  const partFile = `${imageFile}.part`;
  const timer = new Timer(core.timers);
  const reports = new StatusReports(core, 'FirmwareStatusNotification');
  let job = readJob(loadState(store, station, stateName));
  let download_: AbortController | undefined;
  let stopped = false;
  let active = false;
  let again = false;

  /** One step of the update at a time; a request made meanwhile runs when it ends. */
  const kick = (): void => {
    if (active) {
      again = true;
      return;
    }
    active = true;
    void run()
      .catch((error: unknown) => {
        core.logger.error('firmware.failed', { error: String(error) });
        core.events.emit('error', { error: error as Error });
      })
      .finally(() => {
        active = false;
        if (again && !stopped) {
          again = false;
          kick();
        }
      });
  };

  const put = (next: FirmwareJob | undefined) => () => {
    if (next === undefined) deleteState(store, station, stateName);
    else putState(store, station, stateName, next);
  };
  /** Stores the step silently (a retry of the same status). */
  const save = (next: FirmwareJob | undefined): Promise<void> => {
    job = next;
    return store.write(put(next));
  };
  /** Stores the step with its status, then tells the CSMS (offline: once accepted again). */
  const report = async (status: FirmwareStatus, next: FirmwareJob | undefined): Promise<void> => {
    job = next;
    await reports.report({ status }, put(next));
  };

  const hold = (held: boolean): void => {
    for (const id of connectors.ids()) connectors.update(id, { maintenance: held });
  };

  const finish = async (status: FirmwareStatus): Promise<void> => {
    hold(false);
    await report(status, undefined);
    await rm(directory, { recursive: true, force: true });
  };

  const run = async (): Promise<void> => {
    if (job === undefined || stopped) return;
    switch (job.phase) {
      case 'waiting':
      case 'downloading': {
        const wait = job.phase === 'waiting' ? job.retrieveAt - core.now() : 0;
        if (wait > 0) {
          timer.arm(wait, kick);
          return;
        }
        return fetchImage(job);
      }
      case 'downloaded':
        return install(job);
      case 'installing':
        // Killed while installing: the version now booted says whether it took (§5.19).
        if (job.fromVersion !== undefined && job.fromVersion !== options.firmwareVersion) {
          await core.securityEvents.record('FirmwareUpdated', options.firmwareVersion);
          return finish('Installed');
        }
        return finish('InstallationFailed');
      case 'installed':
        // Rebooted into the new image: Installed goes out once connected (errata 3.47).
        await core.securityEvents.record('FirmwareUpdated', options.firmwareVersion);
        return finish('Installed');
    }
  };

  const fetchImage = async (current: FirmwareJob): Promise<void> => {
    if (current.attempt >= current.attempts) return finish('DownloadFailed');
    const target = targetOf(core, current.location);
    if ('refusal' in target) {
      core.logger.warn('firmware.location', { refusal: target.refusal });
      return finish('DownloadFailed');
    }
    const attempt = { ...current, phase: 'downloading' as const, attempt: current.attempt + 1 };
    if (current.phase === 'waiting') await report('Downloading', attempt);
    else await save(attempt);
    mkdirSync(directory, { recursive: true });
    download_ = new AbortController();
    try {
      await download(target, partFile, transferOptionsOf(options.files, download_.signal));
      await rename(partFile, imageFile);
    } catch (error) {
      if (stopped || job !== attempt) return;
      core.logger.warn('firmware.downloadFailed', {
        attempt: attempt.attempt,
        of: attempt.attempts,
        error: (error as Error).message,
      });
      if (attempt.attempt >= attempt.attempts) return finish('DownloadFailed');
      timer.arm(attempt.retryIntervalMs, kick);
      return;
    } finally {
      download_ = undefined;
    }
    const downloaded = { ...attempt, phase: 'downloaded' as const };
    await report('Downloaded', downloaded);
    return install(downloaded);
  };

  /** Errata 3.49: installation waits for the transactions to end, idle connectors Unavailable. */
  const install = async (downloaded: FirmwareJob): Promise<void> => {
    hold(true);
    if (sessions.running().length > 0) return;
    const installing: FirmwareJob = {
      ...downloaded,
      phase: 'installing',
      ...(options.firmwareVersion === undefined ? {} : { fromVersion: options.firmwareVersion }),
    };
    await report('Installing', installing);
    let reboot = true;
    try {
      const result = await hardware.installFirmware?.(imageFile);
      reboot = result?.reboot !== false;
    } catch (error) {
      core.logger.warn('firmware.installationFailed', { error: String(error) });
      return finish('InstallationFailed');
    }
    if (!reboot) {
      await core.securityEvents.record('FirmwareUpdated');
      return finish('Installed');
    }
    await save({ ...installing, phase: 'installed' });
    await hardware.reboot('Hard');
  };

  core.router.on('UpdateFirmware', async (request: UpdateFirmwareRequest) => {
    const phase = job?.phase;
    // An image being installed is not interrupted; a newer request replaces any other step.
    if (phase === 'installing' || phase === 'installed') {
      core.logger.info('firmware.busyInstalling', {});
      return {};
    }
    timer.cancel();
    download_?.abort();
    const retrieveAt = Date.parse(request.retrieveDate);
    const next: FirmwareJob = {
      location: request.location,
      retrieveAt: Number.isFinite(retrieveAt) ? retrieveAt : core.now(),
      attempts: 1 + (request.retries ?? options.files.defaultRetries),
      retryIntervalMs: (request.retryInterval ?? options.files.defaultRetryIntervalSeconds) * 1000,
      attempt: 0,
      phase: 'waiting',
    };
    hold(false);
    await rm(directory, { recursive: true, force: true });
    await save(next);
    // §5.19: the confirmation goes out before the work starts.
    core.timers.setTimeout(kick, 0);
    return {};
  });

  // A transaction ended: the image waiting for it may go in now.
  core.events.on('transactionStopped', () => {
    if (job?.phase === 'downloaded' && sessions.running().length === 0) kick();
  });
  // After a restart the stored step resumes once the CSMS can hear of it.
  let resumed = false;
  core.events.on('accepted', () => {
    if (!resumed) {
      resumed = true;
      kick();
    }
  });

  const behaviour: Behaviour = {
    name: 'firmware',
    stop: () => {
      stopped = true;
      timer.cancel();
      download_?.abort();
    },
  };
  /** TriggerMessage FirmwareStatusNotification (§4.5): the status while busy, else Idle. */
  const current = (): FirmwareStatus => {
    const status = reports.last?.status;
    return job !== undefined && status !== undefined && busy.has(status) ? status : 'Idle';
  };
  return { behaviour, current };
}

/** The stored job, checked field by field (bytes from disk are untrusted). */
function readJob(stored: unknown): FirmwareJob | undefined {
  if (typeof stored !== 'object' || stored === null) return undefined;
  const job = stored as Record<string, unknown>;
  const phases: readonly unknown[] = [
    'waiting',
    'downloading',
    'downloaded',
    'installing',
    'installed',
  ];
  const valid =
    typeof job.location === 'string' &&
    typeof job.retrieveAt === 'number' &&
    typeof job.attempts === 'number' &&
    typeof job.retryIntervalMs === 'number' &&
    typeof job.attempt === 'number' &&
    phases.includes(job.phase);
  return valid ? (job as unknown as FirmwareJob) : undefined;
}
