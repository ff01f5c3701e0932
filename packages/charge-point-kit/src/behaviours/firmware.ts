import { mkdirSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  FirmwareStatus,
  SignedFirmwareStatus,
  SignedFirmwareStatusNotificationRequest,
  SignedUpdateFirmwareRequest,
  UpdateFirmwareRequest,
  UpdateFirmwareStatus,
} from '@ocpp-kit/messages';
import { RpcError } from '@ocpp-kit/rpc-core';
import {
  type Certificate,
  checkFirmwareSigningCertificate,
  verifyFirmware,
} from '@ocpp-kit/security';
import type { Behaviour } from '../core/behaviour.js';
import { type FileSettings, targetOf, transferOptionsOf } from '../core/files/file-settings.js';
import { download } from '../core/files/transfer.js';
import { timeOf } from '../core/files/upload-job.js';
import type { KitCore } from '../core/kit-core.js';
import { StatusReports } from '../core/status-reports.js';
import { Timer } from '../core/timers.js';
import { deleteState, loadState, putState } from '../storage/state-table.js';

/** Where an update is; stored at every step, so a restart resumes it or reports its failure. */
type Phase = 'waiting' | 'downloading' | 'downloaded' | 'verified' | 'installing' | 'installed';

/** What a SignedUpdateFirmware adds (whitepaper L01): the request, the signature, its signer. */
interface Signed {
  readonly requestId: number;
  readonly signature: string;
  readonly signingCertificate: string;
  /** Epoch ms of installDateTime (L01.FR.16). */
  readonly installAt?: number;
}

interface FirmwareJob {
  /** Present for a SignedUpdateFirmware (SignedFirmwareStatusNotification, L01.FR.10). */
  readonly signed?: Signed;
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
/** The statuses both notifications have; a plain update reports only these (§7.25). */
type CommonStatus = FirmwareStatus & SignedFirmwareStatus;

/**
 * UpdateFirmware (§4.5, §5.19, errata 3.12, 3.47-3.49, 3.63): from retrieveDate the image is
 * downloaded (retries, retryInterval, resumed after the bytes it has), then installed by the
 * adapter once no transaction runs (connectors not in use are Unavailable meanwhile), the charge
 * point rebooted and Installed reported after the boot. Every step is stored first and announced
 * with a FirmwareStatusNotification; TriggerMessage gets the current status, Idle when none.
 */
export function firmwareBehaviour(
  core: KitCore,
  options: {
    readonly files: FileSettings;
    readonly firmwareVersion: string | undefined;
    /** L01.FR.20: plain UpdateFirmware is answered NotSupported. */
    readonly signedOnly: boolean;
    /** L01.FR.25: the application's revocation check of a firmware signing certificate. */
    readonly isRevoked: ((certificate: Certificate) => boolean) | undefined;
  },
) {
  const { store, station, hardware, connectors, sessions } = core;
  const directory = join(options.files.directory, 'firmware');
  const imageFile = join(directory, 'image.bin');
  const partFile = `${imageFile}.part`;
  const timer = new Timer(core.timers);
  const reports = new StatusReports(core, 'FirmwareStatusNotification');
  const signedReports = new StatusReports(core, 'SignedFirmwareStatusNotification');
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
  /**
   * Stores the step with its status, then tells the CSMS (offline: once accepted again): a
   * FirmwareStatusNotification, or a SignedFirmwareStatusNotification with the requestId.
   */
  const report = async (
    status: CommonStatus | SignedFirmwareStatus,
    next: FirmwareJob | undefined,
    of: FirmwareJob | undefined = job,
  ): Promise<void> => {
    job = next;
    const signed = of?.signed;
    if (signed === undefined) await reports.report({ status: status as CommonStatus }, put(next));
    else await signedReports.report({ status, requestId: signed.requestId }, put(next));
  };

  const hold = (held: boolean): void => {
    for (const id of connectors.ids()) connectors.update(id, { maintenance: held });
  };

  const finish = async (status: CommonStatus | SignedFirmwareStatus): Promise<void> => {
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
        // A signed image is verified first, again after a restart (L01.FR.04).
        return job.signed === undefined ? install(job) : verify(job, job.signed);
      case 'verified': {
        // L01.FR.16-17: a signed image waits for installDateTime.
        const wait = (job.signed?.installAt ?? 0) - core.now();
        if (wait > 0) {
          timer.arm(wait, kick);
          return;
        }
        return install(job);
      }
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
    if (downloaded.signed !== undefined) return verify(downloaded, downloaded.signed);
    return install(downloaded);
  };

  /** L01.FR.04/12: the signature over the whole file, with the signing certificate. */
  const verify = async (downloaded: FirmwareJob, signed: Signed): Promise<void> => {
    const verdict = await verifyFirmware({
      file: imageFile,
      signature: signed.signature,
      signingCertificate: signed.signingCertificate,
      manufacturerRoots: core.certificates.trustedRoots('ManufacturerRootCertificate'),
      clock: () => core.now(),
      maxBytes: options.files.maxBytes,
      ...(options.isRevoked === undefined ? {} : { isRevoked: options.isRevoked }),
    });
    if (verdict.status === 'Rejected') {
      // L01.FR.02/03.
      core.logger.warn('firmware.verificationFailed', { reason: verdict.reason });
      await core.securityEvents.record(verdict.securityEvent, verdict.message.slice(0, 255));
      return finish(verdict.stage === 'signature' ? verdict.firmwareStatus : 'InvalidSignature');
    }
    const verified: FirmwareJob = { ...downloaded, phase: 'verified' };
    await report('SignatureVerified', verified);
    const installAt = signed.installAt ?? 0;
    if (installAt > core.now()) {
      await report('InstallScheduled', verified);
      timer.arm(installAt - core.now(), kick);
      return;
    }
    return install(verified);
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
    const installed: FirmwareJob = { ...installing, phase: 'installed' };
    // L01.FR.15: a signed update says it reboots.
    if (installed.signed !== undefined) await report('InstallRebooting', installed);
    else await save(installed);
    await hardware.reboot('Hard');
  };

  /** Whether an image is being installed (it cannot be cancelled, L01.FR.27). */
  const installing = () => job?.phase === 'installing' || job?.phase === 'installed';

  /** Replaces any step under way with a new job; true when one was cancelled (L01.FR.26). */
  const begin = async (next: FirmwareJob): Promise<boolean> => {
    const cancelled = job !== undefined;
    timer.cancel();
    download_?.abort();
    hold(false);
    await rm(directory, { recursive: true, force: true });
    await save(next);
    // §5.19: the confirmation goes out before the work starts.
    core.timers.setTimeout(kick, 0);
    return cancelled;
  };

  const jobOf = (
    location: string,
    retrieveDate: string,
    retries: number | undefined,
    retryInterval: number | undefined,
  ): FirmwareJob => ({
    location,
    retrieveAt: timeOf(retrieveDate) ?? core.now(),
    attempts: 1 + (retries ?? options.files.defaultRetries),
    retryIntervalMs: (retryInterval ?? options.files.defaultRetryIntervalSeconds) * 1000,
    attempt: 0,
    phase: 'waiting',
  });

  core.router.on('UpdateFirmware', async (request: UpdateFirmwareRequest) => {
    if (options.signedOnly) {
      throw new RpcError(
        'NotSupported',
        'This charge point installs signed firmware only: use SignedUpdateFirmware (L01.FR.20)',
      );
    }
    // An image being installed is not interrupted; a newer request replaces any other step.
    if (installing()) {
      core.logger.info('firmware.busyInstalling', {});
      return {};
    }
    await begin(
      jobOf(request.location, request.retrieveDate, request.retries, request.retryInterval),
    );
    return {};
  });

  core.router.on(
    'SignedUpdateFirmware',
    async (request: SignedUpdateFirmwareRequest): Promise<{ status: UpdateFirmwareStatus }> => {
      const { firmware } = request;
      // L01.FR.23-25: the signing certificate is checked before anything is accepted.
      const checked = checkFirmwareSigningCertificate({
        signingCertificate: firmware.signingCertificate,
        manufacturerRoots: core.certificates.trustedRoots('ManufacturerRootCertificate'),
        clock: () => core.now(),
        ...(options.isRevoked === undefined ? {} : { isRevoked: options.isRevoked }),
      });
      if (checked.status === 'Rejected') {
        core.securityEvents.note(checked.securityEvent, checked.message.slice(0, 255));
        return { status: checked.updateFirmwareStatus };
      }
      if (installing()) return { status: 'Rejected' };
      const installAt = timeOf(firmware.installDateTime);
      const next: FirmwareJob = {
        ...jobOf(
          firmware.location,
          firmware.retrieveDateTime,
          request.retries,
          request.retryInterval,
        ),
        signed: {
          requestId: request.requestId,
          signature: firmware.signature,
          signingCertificate: firmware.signingCertificate,
          ...(installAt === undefined ? {} : { installAt }),
        },
      };
      const cancelled = await begin(next);
      // L01.FR.13: a download that waits for retrieveDateTime is scheduled.
      if (next.retrieveAt > core.now()) await report('DownloadScheduled', next, next);
      return { status: cancelled ? 'AcceptedCanceled' : 'Accepted' };
    },
  );

  // A transaction ended: the image waiting for it may go in now.
  core.events.on('transactionStopped', () => {
    const waiting =
      job?.phase === 'verified' || (job?.phase === 'downloaded' && job.signed === undefined);
    if (waiting && sessions.running().length === 0) kick();
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
  /** ExtendedTriggerMessage (L01.FR.28-29): the last signed status, Idle after Installed. */
  const currentSigned = (): SignedFirmwareStatusNotificationRequest => {
    const last = signedReports.last;
    return last === undefined || last.status === 'Installed' ? { status: 'Idle' } : last;
  };
  return { behaviour, current, currentSigned };
}

/** The stored job, checked field by field (bytes from disk are untrusted). */
function readJob(stored: unknown): FirmwareJob | undefined {
  if (typeof stored !== 'object' || stored === null) return undefined;
  const job = stored as Record<string, unknown>;
  const phases: readonly unknown[] = [
    'waiting',
    'downloading',
    'downloaded',
    'verified',
    'installing',
    'installed',
  ];
  const valid =
    typeof job.location === 'string' &&
    typeof job.retrieveAt === 'number' &&
    typeof job.attempts === 'number' &&
    typeof job.retryIntervalMs === 'number' &&
    typeof job.attempt === 'number' &&
    (job.signed === undefined || isSigned(job.signed)) &&
    phases.includes(job.phase);
  return valid ? (job as unknown as FirmwareJob) : undefined;
}

function isSigned(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const signed = value as Record<string, unknown>;
  return (
    typeof signed.requestId === 'number' &&
    typeof signed.signature === 'string' &&
    typeof signed.signingCertificate === 'string' &&
    (signed.installAt === undefined || typeof signed.installAt === 'number')
  );
}
