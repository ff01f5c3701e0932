// One server under test, in its own process. Reports its port, CPU time between cpuStart and
// cpuStop, and memory after a forced GC. Run by run.ts only.

import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { createServer, ocpp16 } from '../../src/index.js';
import type { ServerCommand, ServerKind, ServerReport } from './wire.js';

const kind = process.argv[2] as ServerKind;
const report = (message: ServerReport) => process.send?.(message);
let connections: () => number;

async function start(): Promise<number> {
  if (kind === 'ours') {
    // Validation on (the default), security profile 0 like the other two servers.
    const server = createServer({ protocol: ocpp16, securityProfile: 0 });
    server.router.on('MeterValues', () => ({}));
    connections = () => server.connections.size;
    return (await server.listen({ host: '127.0.0.1', port: 0 })).port;
  }
  if (kind === 'ocpp-rpc') {
    const { RPCServer } = createRequire(import.meta.url)('ocpp-rpc') as typeof import('ocpp-rpc');
    const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
    let count = 0;
    server.auth((accept) => accept());
    server.on('client', (client) => {
      count++;
      client.on('close', () => count--);
      client.handle('MeterValues', () => ({}));
    });
    connections = () => count;
    const http = await server.listen(0, '127.0.0.1');
    return (http.address() as AddressInfo).port;
  }
  // The upper bound: no parsing beyond finding the id, a precomputed CALLRESULT around it.
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    perMessageDeflate: false,
    handleProtocols: (offered) => (offered.has('ocpp1.6') ? 'ocpp1.6' : false),
  });
  wss.on('connection', (ws) => {
    ws.on('message', (data) => {
      const text = data.toString();
      const end = text.indexOf('"', 4);
      ws.send(`[3,${text.slice(3, end + 1)},{}]`);
    });
  });
  connections = () => wss.clients.size;
  await new Promise((resolve) => wss.once('listening', resolve));
  return (wss.address() as AddressInfo).port;
}

let cpu = process.cpuUsage();
process.on('message', (command: ServerCommand) => {
  switch (command.op) {
    case 'cpuStart':
      cpu = process.cpuUsage();
      return;
    case 'cpuStop': {
      const used = process.cpuUsage(cpu);
      report({ type: 'cpu', userMicros: used.user, systemMicros: used.system });
      return;
    }
    case 'memory': {
      globalThis.gc?.();
      globalThis.gc?.();
      const m = process.memoryUsage();
      report({
        type: 'memory',
        rss: m.rss,
        heapUsed: m.heapUsed,
        external: m.external,
        connections: connections(),
      });
      return;
    }
    case 'exit':
      process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));

start().then((port) => report({ type: 'listening', port }));
