import { type Direction, ocpp16 } from '@ocpp-kit/messages';

const arrow: Record<Direction, string> = {
  ChargePointToCentralSystem: 'CP -> CS',
  CentralSystemToChargePoint: 'CS -> CP',
};

/** Prints every action the generated descriptor supports, grouped by feature profile. */
export function printSupportedActions(out: NodeJS.WritableStream = process.stdout): void {
  const byProfile = new Map<string, string[]>();
  for (const action of ocpp16.actions.values()) {
    const line = `  ${action.name.padEnd(34)} ${action.directions
      .map((d) => arrow[d])
      .join(', ')
      .padEnd(18)} ${action.spec}`;
    const lines = byProfile.get(action.profile) ?? [];
    lines.push(line);
    byProfile.set(action.profile, lines);
  }
  out.write(`${ocpp16.actions.size} actions, subprotocol "${ocpp16.subprotocol}"\n`);
  for (const [profile, lines] of byProfile) out.write(`\n${profile}\n${lines.join('\n')}\n`);
}
