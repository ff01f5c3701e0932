// The load generator, identical for every server: raw `ws` clients offering ocpp1.6, each with
// one MeterValues CALL in flight at a time (closed loop). Run by run.ts only.
import { WebSocket } from 'ws';
import { type LoadReport, meterValuesPayload } from './wire.js';

const [portArg, connectionsArg, warmupArg, measureArg, mode] = process.argv.slice(2);
const port = Number(portArg);
const count = Number(connectionsArg);
const warmupMs = Number(warmupArg);
const measureMs = Number(measureArg);
const report = (message: LoadReport) => process.send?.(message);
/** Samples kept for percentiles; beyond it a reservoir keeps the distribution unbiased. */
const maxSamples = 1_000_000;

async function connectAll(): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  const started = performance.now();
  // Bounded parallelism keeps the accept queue from overflowing at 10000 connections.
  const batch = 200;
  for (let i = 0; i < count; i += batch) {
    const opened = [];
    for (let j = i; j < Math.min(count, i + batch); j++) {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/CP${j}`, ['ocpp1.6'], {
        perMessageDeflate: false,
      });
      sockets.push(ws);
      opened.push(
        new Promise<void>((resolve, reject) => {
          ws.once('open', () => resolve());
          ws.on('error', reject);
        }),
      );
    }
    await Promise.all(opened);
    const done = Math.min(count, i + batch);
    if (count >= 1000 && (done % 2000 === 0 || done === count)) {
      process.stderr.write(`  connected ${done}/${count}${done === count ? '\n' : '\r'}`);
    }
  }
  report({ type: 'connected', connections: count, millis: performance.now() - started });
  return sockets;
}

function runLoad(sockets: WebSocket[]): void {
  let recording = false;
  /** Set when the window closes: no new calls go out; the ones in flight are still counted. */
  let stopping = false;
  let inFlight = 0;
  let started = 0;
  let calls = 0;
  let seen = 0;
  const samples: number[] = [];
  const fail = (message: string) => {
    report({ type: 'failed', message });
    process.exit(1);
  };
  const record = (micros: number) => {
    calls++;
    seen++;
    if (samples.length < maxSamples) samples.push(micros);
    else {
      const at = Math.floor(Math.random() * seen);
      if (at < maxSamples) samples[at] = micros;
    }
  };
  const finish = () => {
    const seconds = (performance.now() - started) / 1000;
    const sorted = Float64Array.from(samples).sort();
    const at = (q: number) =>
      sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    report({ type: 'measured', calls, seconds, p50Micros: at(0.5), p99Micros: at(0.99) });
  };
  for (let c = 0; c < sockets.length; c++) {
    const ws = sockets[c] as WebSocket;
    let n = 0;
    let sentAt = 0;
    let expected = '';
    const send = () => {
      n++;
      expected = `[3,"${c}-${n}"`;
      sentAt = performance.now();
      inFlight++;
      ws.send(`[2,"${c}-${n}","MeterValues",${meterValuesPayload}]`);
    };
    ws.on('message', (data) => {
      const text = data.toString();
      if (!text.startsWith(expected)) fail(`unexpected answer: ${text.slice(0, 200)}`);
      inFlight--;
      if (recording) record((performance.now() - sentAt) * 1000);
      if (!stopping) send();
      else if (inFlight === 0) finish();
    });
    // A connection the server drops would silently shrink the closed loop.
    ws.on('close', (code) => {
      if (!stopping || inFlight > 0) fail(`connection CP${c} closed during the load (${code})`);
    });
    ws.on('error', (error) => fail(`connection CP${c}: ${error.message}`));
    send();
  }
  setTimeout(() => {
    recording = true;
    started = performance.now();
    report({ type: 'recording' });
    setTimeout(() => {
      stopping = true;
      if (inFlight === 0) finish();
    }, measureMs);
  }, warmupMs);
}

connectAll().then(
  (sockets) => {
    if (mode === 'load') runLoad(sockets);
  },
  (error: Error) => {
    report({ type: 'failed', message: error.message });
    process.exit(1);
  },
);
process.on('disconnect', () => process.exit(0));
