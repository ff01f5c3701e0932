// The reference CSMS: csms-kit on the SQLite storage, the policy, the data-directory PKI and the
// operator HTTP API, started and stopped as one.
import { join } from 'node:path';
import {
  type CentralSystem,
  type CsmsLogger,
  certificateAuthoritySigner,
  createCentralSystem,
  FileEndpoints,
  type ListeningAddress,
  silentCsmsLogger,
} from '@ocpp-kit/csms-kit';
import type { FastifyInstance } from 'fastify';
import { buildHttpApi } from '../http/server.js';
import type { Policy } from '../policy/policy.js';
import { type Authority, loadOrCreateAuthority } from '../security/authority.js';
import { openStorage, type Storage } from '../storage/storage.js';
import { provisioning, triggerOnAccept } from './provisioning.js';
import { recordEverything } from './recording-handlers.js';

export interface ReferenceCsmsOptions {
  readonly dataDir: string;
  readonly policy: Policy;
  /** The operator API key (`Authorization: Bearer <key>`). */
  readonly apiKey: string;
  /** Default `<dataDir>/csms.sqlite`. */
  readonly databaseFile?: string;
  readonly logger?: CsmsLogger;
}

export interface ReferenceCsms {
  readonly csms: CentralSystem<unknown>;
  readonly storage: Storage;
  readonly authority: Authority;
  readonly http: FastifyInstance;
  readonly ocppAddresses: readonly ListeningAddress[];
  readonly httpPort: number;
  /** Firmware at `http://<host>:<filesPort>/firmware/<name>`, uploads at `/uploads/<name>`. */
  readonly filesPort: number;
  close(): Promise<void>;
}

export async function startReferenceCsms(options: ReferenceCsmsOptions): Promise<ReferenceCsms> {
  const { policy, dataDir } = options;
  const logger = options.logger ?? silentCsmsLogger;
  const authority = await loadOrCreateAuthority(dataDir, policy.cpoName, policy.serverHostname);
  const storage = await openStorage(options.databaseFile ?? join(dataDir, 'csms.sqlite'));
  const provision = provisioning(policy, storage, logger);
  const csms = createCentralSystem<unknown>({
    listeners: policy.listeners.map((l) => ({
      securityProfile: l.securityProfile,
      host: l.host,
      port: l.port,
      path: l.path,
      ...(l.securityProfile >= 2
        ? {
            tls: {
              ...authority.serverTls,
              ...(l.securityProfile === 3 ? { ca: authority.root.certificatePem } : {}),
            },
          }
        : {}),
    })),
    chargePoints: storage.chargePoints,
    idTags: storage.idTags,
    transactions: storage.transactions,
    unknownChargePoints: policy.unknownChargePoints,
    cpoName: policy.cpoName,
    heartbeatIntervalSeconds: policy.heartbeatIntervalSeconds,
    bootRetryIntervalSeconds: policy.bootRetryIntervalSeconds,
    callTimeoutMs: policy.callTimeoutMs,
    certificates: certificateAuthoritySigner({ ca: authority.subCa, cpoName: policy.cpoName }),
    ...(provision === undefined ? {} : { provision }),
    logger,
  });
  recordEverything(csms, storage);
  triggerOnAccept(csms, policy);
  const http = buildHttpApi({ csms, storage, apiKey: options.apiKey, dataDir });
  const files = new FileEndpoints({
    firmwareDir: join(dataDir, 'firmware'),
    uploadDir: join(dataDir, 'uploads'),
    onUpload: ({ name, bytes }) => logger.info('files.uploaded', { name, bytes }),
  });
  let ocppAddresses: ListeningAddress[];
  let filesPort: number;
  try {
    ocppAddresses = await csms.listen();
    await http.listen({ host: policy.http.host, port: policy.http.port });
    ({ port: filesPort } = await files.listen(policy.files));
  } catch (error) {
    await csms.close();
    await http.close();
    await files.close();
    await storage.close();
    throw error;
  }
  const address = http.server.address();
  const httpPort =
    typeof address === 'object' && address !== null ? address.port : policy.http.port;
  return {
    csms,
    storage,
    authority,
    http,
    ocppAddresses,
    httpPort,
    filesPort,
    close: async () => {
      await files.close();
      await http.close();
      await csms.close();
      await storage.close();
    },
  };
}
