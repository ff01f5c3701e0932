// Crash test of the file jobs and the security state: a charge point is SIGKILLed at random
// moments while it downloads an image from a slow server and installs it, while certificates are
// installed, and while it records critical security events. After every restart the firmware
// update resumes or reports its outcome, the certificate store opens intact with every root
// whose InstallCertificate was Accepted, and no stored critical event is lost (A04.FR.02).
// Bounded by count and time: 30 kills, at most 120 s.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createTestPki } from '@ocpp-kit/security/testing';
import { describe, expect, test } from 'vitest';
import { httpFileServer } from './test-helpers/file-servers.js';
import { tempDirectory } from './test-helpers/temp-store.js';
import { startTestCsms } from './test-helpers/test-csms.js';

const kills = 30;
const child = fileURLToPath(new URL('./test-helpers/crash-jobs-child.ts', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function run(env: Record<string, string>) {
  const proc: ChildProcess = spawn(
    process.execPath,
    ['--conditions=@ocpp-kit/source', '--import', 'tsx', child],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines: string[] = [];
  const exited = new Promise<unknown>((resolve) =>
    proc.on('exit', (code, signal) => resolve(code ?? signal)),
  );
  const ready = new Promise<void>((resolve) => {
    proc.stdout?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (line === '') continue;
        lines.push(line);
        if (line === 'ready') resolve();
      }
    });
    void exited.then(() => resolve());
  });
  return { proc, lines, exited, ready };
}

describe('crash test of firmware, certificates and security events (A04.FR.02, §5.19, M05)', () => {
  test(`${kills} kills: the firmware update resumes or reports, the certificate store stays whole, no critical event is lost`, async () => {
    const deadline = Date.now() + 120_000;
    const pkis = await Promise.all([createTestPki(), createTestPki(), createTestPki()]);
    const roots = pkis.map((p) => p.root.certificatePem);
    const image = randomBytes(600_000);
    const sha = createHash('sha256').update(image).digest('hex');
    // Slow enough that kills land mid-download: 600 kB at 60 kB every 100 ms.
    const files = await httpFileServer(
      { '/fw.bin': image },
      { slow: { chunkBytes: 60_000, everyMs: 100 } },
    );
    const csms = await startTestCsms();
    const events = new Set<string>();
    let expected = 0;
    csms.answers.SecurityEventNotification = (request) => {
      if (request.type === 'TamperDetectionActivated' && request.techInfo !== undefined)
        events.add(request.techInfo);
      return {};
    };
    const terminal = ['Installed', 'InstallationFailed', 'DownloadFailed'];
    const lastFirmwareStatus = () =>
      csms.received
        .filter((r) => r.action === 'FirmwareStatusNotification')
        .map((r) => r.payload.status)
        .at(-1);
    // The drain run ends once every event arrived and the update reported its end.
    csms.answers.DataTransfer = () => ({
      status:
        events.size >= expected && terminal.includes(String(lastFirmwareStatus()))
          ? 'Accepted'
          : 'Rejected',
    });
    const accepted = new Set<number>();
    let installsSent = 0;
    // On each connection: one root to install (in turn) and, until one was answered (so
    // stored), the firmware update.
    let updateAnswered = false;
    csms.server.on('client', ({ connection }) => {
      void (async () => {
        await sleep(100 + Math.random() * 300);
        if (!updateAnswered) {
          const answer = await connection
            .call('UpdateFirmware', {
              location: `${files.url}/fw.bin`,
              retrieveDate: new Date().toISOString(),
              retries: 50,
            })
            .catch(() => undefined);
          if (answer !== undefined) updateAnswered = true;
        }
        const index = installsSent++ % roots.length;
        const answer = await connection
          .call('InstallCertificate', {
            certificateType: 'CentralSystemRootCertificate',
            certificate: roots[index] as string,
          })
          .catch(() => undefined);
        if (answer?.status === 'Accepted') accepted.add(index);
      })();
    });
    const directory = tempDirectory('crash-jobs');
    const env = { CRASH_IDENTITY: 'CRASH-JOBS', CRASH_URL: csms.url, CRASH_DIR: directory };
    const durable: number[] = [];
    for (let round = 0; round < kills; round++) {
      if (Date.now() > deadline) throw new Error(`Out of time after ${round} kills`);
      const proc = run({ ...env, CRASH_EVENT_BASE: String(round * 10_000) });
      await proc.ready;
      await sleep(50 + Math.random() * 700);
      proc.proc.kill('SIGKILL');
      await proc.exited;
      for (const line of proc.lines)
        if (line.startsWith('event ')) durable.push(Number(line.slice(6)));
      expect(proc.lines.filter((line) => line.startsWith('error'))).toEqual([]);
      const installed = proc.lines.filter((line) => line.startsWith('installed '));
      for (const line of installed) expect(line).toBe(`installed ${sha}`);
    }
    expected = durable.length;
    const last = run({ ...env, CRASH_DRAIN: '1', CRASH_EVENT_BASE: '0' });
    const timer = setTimeout(() => last.proc.kill('SIGKILL'), 30_000);
    expect(await last.exited).toBe(0);
    clearTimeout(timer);
    expect(last.lines).toContain('drained');

    // No stored critical event lost (A04.FR.02).
    const missing = durable.filter((n) => !events.has(`n-${n}`));
    expect(missing).toEqual([]);
    // The firmware update ended: the image installed whole, or a failure reported; never stuck.
    const statuses = csms.received
      .filter((r) => r.action === 'FirmwareStatusNotification')
      .map((r) => r.payload.status);
    expect(updateAnswered).toBe(true);
    expect(terminal).toContain(statuses.at(-1));
    // Every root whose InstallCertificate was Accepted is still there.
    const reader = await startTestCsms();
    let checked = false;
    // The reading run stays until the store was read.
    reader.answers.DataTransfer = () => ({ status: checked ? 'Accepted' : 'Rejected' });
    const check = run({ ...env, CRASH_URL: reader.url, CRASH_DRAIN: '1', CRASH_EVENT_BASE: '0' });
    await reader.waitFor('DataTransfer');
    const ids = await reader.server.connections
      .get('CRASH-JOBS')
      ?.call('GetInstalledCertificateIds', { certificateType: 'CentralSystemRootCertificate' });
    checked = true;
    await check.exited;
    expect(ids?.status).toBe(accepted.size > 0 ? 'Accepted' : 'NotFound');
    expect(ids?.certificateHashData?.length ?? 0).toBe(accepted.size);
    console.info(
      `crash-jobs: ${kills} kills, ${durable.length} critical events all delivered, firmware ${statuses.join('>')}, ${accepted.size} roots kept`,
    );
  }, 200_000);
});
