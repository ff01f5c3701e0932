// The local server of the fleet benchmark: rpc-core with validation on, answering every call a
// charge point makes in a session, counting MeterValues. Run by fleet.ts only.
import { createServer, ocpp16 } from '@ocpp-kit/rpc-core';
import type { CsmsReport } from './wire.js';

const report = (message: CsmsReport) => process.send?.(message);
const now = () => new Date().toISOString();
let meterValues = 0;
let transactionId = 0;

const server = createServer({ protocol: ocpp16, securityProfile: 0 });
server.router.on('BootNotification', () => ({
  status: 'Accepted',
  currentTime: now(),
  interval: 300,
}));
server.router.on('Heartbeat', () => ({ currentTime: now() }));
server.router.on('StatusNotification', () => ({}));
server.router.on('Authorize', () => ({ idTagInfo: { status: 'Accepted' } }));
server.router.on('StartTransaction', () => ({
  transactionId: ++transactionId,
  idTagInfo: { status: 'Accepted' },
}));
server.router.on('StopTransaction', () => ({}));
server.router.on('MeterValues', () => {
  meterValues += 1;
  return {};
});

process.on('message', (command: { op: 'count' | 'exit' }) => {
  if (command.op === 'count') {
    report({ type: 'count', meterValues, connections: server.connections.size });
  } else process.exit(0);
});
process.on('disconnect', () => process.exit(0));
const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
report({ type: 'listening', port });
