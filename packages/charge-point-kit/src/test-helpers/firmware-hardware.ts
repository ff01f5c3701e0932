import { readFileSync } from 'node:fs';
import type { FirmwareInstallResult } from '../core/hardware.js';
import { TestHardware } from './test-hardware.js';

/** TestHardware that installs firmware: records each image's bytes, fails or skips the reboot on request. */
export class FirmwareHardware extends TestHardware {
  readonly installed: Buffer[] = [];
  installError: Error | undefined;
  installResult: FirmwareInstallResult = undefined;

  installFirmware(file: string): FirmwareInstallResult {
    if (this.installError !== undefined) throw this.installError;
    this.installed.push(readFileSync(file));
    return this.installResult;
  }
}
