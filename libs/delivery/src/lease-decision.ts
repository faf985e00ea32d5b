/** The parts of a coordination.k8s.io/v1 Lease spec that leader election reads and writes. */
export interface LeaseRecord {
  /** Empty when nobody holds the lease (released). */
  holderIdentity: string;
  leaseDurationMs: number;
  /** Milliseconds since the epoch. */
  acquireTimeMs: number;
  renewTimeMs: number;
  leaseTransitions: number;
}

/**
 * When this replica last saw the lease record change, by its own clock.
 * Expiry is judged from that, never from the renewTime written by another
 * replica, so clock skew between nodes cannot make a live leader look dead
 * (the same rule client-go's leader election follows).
 */
export interface LeaseObservation {
  record: LeaseRecord;
  observedAtMs: number;
}

export type LeaseDecision =
  | { action: 'create'; record: LeaseRecord }
  | { action: 'acquire'; record: LeaseRecord }
  | { action: 'renew'; record: LeaseRecord }
  | { action: 'follow'; holderIdentity: string; expiresInMs: number };

function sameRecord(a: LeaseRecord, b: LeaseRecord): boolean {
  return (
    a.holderIdentity === b.holderIdentity &&
    a.renewTimeMs === b.renewTimeMs &&
    a.acquireTimeMs === b.acquireTimeMs &&
    a.leaseTransitions === b.leaseTransitions &&
    a.leaseDurationMs === b.leaseDurationMs
  );
}

/** The observation after reading `record` at nowMs: unchanged records keep their first-seen time. */
export function observeLease(
  previous: LeaseObservation | undefined,
  record: LeaseRecord,
  nowMs: number,
): LeaseObservation {
  return previous && sameRecord(previous.record, record) ? previous : { record, observedAtMs: nowMs };
}

/**
 * What a candidate does with the lease as it last read it: create it when
 * there is none, renew it when it holds it, take it over when it is released
 * or has not changed for a whole lease duration, otherwise follow.
 */
export function decideLease(input: {
  observation: LeaseObservation | undefined;
  identity: string;
  nowMs: number;
  leaseDurationMs: number;
}): LeaseDecision {
  const { observation, identity, nowMs, leaseDurationMs } = input;
  const mine = (acquireTimeMs: number, leaseTransitions: number): LeaseRecord => ({
    holderIdentity: identity,
    leaseDurationMs,
    acquireTimeMs,
    renewTimeMs: nowMs,
    leaseTransitions,
  });
  if (!observation) return { action: 'create', record: mine(nowMs, 0) };
  const { record, observedAtMs } = observation;
  if (record.holderIdentity === identity)
    return { action: 'renew', record: mine(record.acquireTimeMs, record.leaseTransitions) };
  const expiresAtMs = observedAtMs + record.leaseDurationMs;
  if (record.holderIdentity === '' || nowMs >= expiresAtMs)
    return { action: 'acquire', record: mine(nowMs, record.leaseTransitions + 1) };
  return { action: 'follow', holderIdentity: record.holderIdentity, expiresInMs: expiresAtMs - nowMs };
}

/** The record a leader writes when it steps down, so a standby takes over at once. */
export function releasedLease(record: LeaseRecord, nowMs: number): LeaseRecord {
  return { ...record, holderIdentity: '', leaseDurationMs: 1000, renewTimeMs: nowMs };
}
