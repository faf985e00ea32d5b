import { createHash } from 'node:crypto';

/**
 * The idempotency key of one delivery: the same for every attempt, every
 * restart and every replica, because it is derived only from what was
 * delivered (the event's stable id) and where (the rule and destination).
 */
export function deliveryId(eventId: string, ruleKey: string, destinationIndex: number): string {
  return createHash('sha256')
    .update(JSON.stringify([eventId, ruleKey, destinationIndex]))
    .digest('hex')
    .slice(0, 32);
}
