// The demo's charge points in their own process: `DEMO_CHARGE_POINTS` holds their options (JSON).
// Exits 0 once every session ended, 1 (with the reason on stderr) if one failed.
import { runDemoChargePoint } from './demo-charge-point.js';

interface Spec {
  readonly url: string;
  readonly identities: readonly string[];
  readonly keyHex: string;
  readonly idTag: string;
}

const spec = JSON.parse(process.env.DEMO_CHARGE_POINTS ?? '{}') as Spec;
Promise.all(
  spec.identities.map((identity, i) =>
    runDemoChargePoint({
      url: spec.url,
      identity,
      authorizationKey: Buffer.from(spec.keyHex, 'hex'),
      idTag: spec.idTag,
      maxPowerW: 11_000 - i * 3_600,
      maxSessionMs: 30_000,
    }),
  ),
).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`demo charge point failed: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
