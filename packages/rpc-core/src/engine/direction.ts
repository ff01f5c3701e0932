import type { Direction, Side } from '@ocpp-kit/messages';

/** The direction of the CALLs `side` sends. */
export function sentDirectionOf(side: Side): Direction {
  return side === 'ChargePoint' ? 'ChargePointToCentralSystem' : 'CentralSystemToChargePoint';
}

/** The direction of the CALLs `side` receives and answers. */
export function handledDirectionOf(side: Side): Direction {
  return side === 'ChargePoint' ? 'CentralSystemToChargePoint' : 'ChargePointToCentralSystem';
}
