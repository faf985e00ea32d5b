import { makeKubeApiClient } from '@k8slistener/kube';
import type { Logger } from '@k8slistener/log';
import {
  ApiException,
  CoordinationV1Api,
  type KubeConfig,
  type V1Lease,
  V1MicroTime,
} from '@kubernetes/client-node';
import { Gauge, type Registry } from 'prom-client';
import {
  decideLease,
  type LeaseObservation,
  type LeaseRecord,
  observeLease,
  releasedLease,
} from './lease-decision.ts';

// client-go's defaults, which kube-controller-manager and most operators use:
// a dead leader is replaced within 15 s, a leader that cannot renew for 10 s
// stops on its own (before anyone else may take over), candidates retry
// every 2 s.
export const LEASE_DURATION_MS = 15_000;
export const RENEW_DEADLINE_MS = 10_000;
export const RETRY_PERIOD_MS = 2_000;
const HTTP_NOT_FOUND = 404;

export interface LeaderElectorOptions {
  kubeConfig: KubeConfig;
  /** The listener's namespace. */
  namespace: string;
  /** Lease name, e.g. "k8slistener-leader". */
  name: string;
  /** This replica, unique among candidates (the pod name). */
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** Milliseconds since the epoch. */
  clock?: () => number;
  onStartedLeading?: () => void;
  onStoppedLeading?: () => void;
  log?: Logger;
  /** Where the k8slistener_leader gauge goes (1 while leading). */
  registry?: Registry;
}

function timeMs(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  const parsed = Date.parse(String(value ?? ''));
  return Number.isNaN(parsed) ? 0 : parsed;
}

function toRecord(lease: V1Lease): LeaseRecord {
  const spec = lease.spec ?? {};
  return {
    holderIdentity: spec.holderIdentity ?? '',
    leaseDurationMs: (spec.leaseDurationSeconds ?? 0) * 1000,
    acquireTimeMs: timeMs(spec.acquireTime),
    renewTimeMs: timeMs(spec.renewTime),
    leaseTransitions: spec.leaseTransitions ?? 0,
  };
}

/**
 * Leader election over a coordination.k8s.io/v1 Lease: only the leader
 * delivers. @kubernetes/client-node ships no leader-election helper, so this
 * is a small loop around the pure decideLease(); writes are optimistic
 * (resourceVersion), so two candidates can never both win one round.
 */
export class LeaderElector {
  readonly #api: CoordinationV1Api;
  readonly #options: LeaderElectorOptions;
  readonly #leaseDurationMs: number;
  readonly #renewDeadlineMs: number;
  readonly #retryPeriodMs: number;
  readonly #clock: () => number;
  readonly #gauge: Gauge | undefined;
  #observation: LeaseObservation | undefined;
  #resourceVersion: string | undefined;
  #leader = false;
  #lastRenewMs = 0;
  #running = false;
  #timer: NodeJS.Timeout | undefined;
  #tick: Promise<void> | undefined;

  constructor(options: LeaderElectorOptions) {
    this.#options = options;
    this.#leaseDurationMs = options.leaseDurationMs ?? LEASE_DURATION_MS;
    this.#renewDeadlineMs = options.renewDeadlineMs ?? RENEW_DEADLINE_MS;
    this.#retryPeriodMs = options.retryPeriodMs ?? RETRY_PERIOD_MS;
    const errors: string[] = [];
    if (!options.identity) errors.push('identity must not be empty');
    if (!(this.#retryPeriodMs > 0)) errors.push(`retryPeriodMs must be > 0; got ${this.#retryPeriodMs}`);
    // A leader must give up before anyone may see its lease as expired.
    if (!(this.#leaseDurationMs > this.#renewDeadlineMs))
      errors.push(
        `leaseDurationMs (${this.#leaseDurationMs}) must be greater than renewDeadlineMs (${this.#renewDeadlineMs})`,
      );
    if (!(this.#renewDeadlineMs > this.#retryPeriodMs))
      errors.push(
        `renewDeadlineMs (${this.#renewDeadlineMs}) must be greater than retryPeriodMs (${this.#retryPeriodMs})`,
      );
    if (errors.length > 0) throw new RangeError(`invalid leader election options: ${errors.join('; ')}`);
    this.#api = makeKubeApiClient(options.kubeConfig, CoordinationV1Api);
    this.#clock = options.clock ?? Date.now;
    this.#gauge = options.registry
      ? new Gauge({
          name: 'k8slistener_leader',
          help: '1 while this listener replica holds the leader lease and delivers, 0 otherwise.',
          registers: [options.registry],
        })
      : undefined;
    this.#gauge?.set(0);
  }

  isLeader(): boolean {
    return this.#leader;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#schedule(0);
  }

  /** Stops campaigning; a leader releases the lease so a standby takes over at once. */
  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    await this.#tick;
    if (!this.#leader) return;
    try {
      const lease = await this.#api.readNamespacedLease({
        name: this.#options.name,
        namespace: this.#options.namespace,
      });
      if (toRecord(lease).holderIdentity === this.#options.identity) {
        await this.#write(releasedLease(toRecord(lease), this.#clock()), lease.metadata?.resourceVersion);
      }
    } catch (error) {
      // The standby takes over when the lease expires instead.
      this.#options.log?.warn('releasing the leader lease failed', { error: String(error) });
    }
    this.#lose('stopped');
  }

  #schedule(delayMs: number): void {
    if (!this.#running) return;
    this.#timer = setTimeout(() => {
      this.#tick = this.#round().finally(() => {
        this.#tick = undefined;
        this.#schedule(this.#retryPeriodMs);
      });
    }, delayMs);
    this.#timer.unref();
  }

  async #round(): Promise<void> {
    try {
      await this.#tryAcquireOrRenew();
    } catch (error) {
      this.#options.log?.debug('leader election round failed', {
        error: error instanceof ApiException ? `HTTP ${error.code}` : String(error),
      });
    }
    if (this.#leader && this.#clock() - this.#lastRenewMs > this.#renewDeadlineMs)
      this.#lose('could not renew the lease within the renew deadline');
  }

  async #tryAcquireOrRenew(): Promise<void> {
    const { name, namespace, identity } = this.#options;
    let lease: V1Lease | undefined;
    try {
      lease = await this.#api.readNamespacedLease({ name, namespace });
    } catch (error) {
      if (!(error instanceof ApiException && error.code === HTTP_NOT_FOUND)) throw error;
    }
    const nowMs = this.#clock();
    this.#resourceVersion = lease?.metadata?.resourceVersion;
    this.#observation = lease ? observeLease(this.#observation, toRecord(lease), nowMs) : undefined;
    const decision = decideLease({
      observation: this.#observation,
      identity,
      nowMs,
      leaseDurationMs: this.#leaseDurationMs,
    });
    if (decision.action === 'follow') {
      if (this.#leader) this.#lose(`lease now held by ${decision.holderIdentity}`);
      return;
    }
    const written = await this.#write(
      decision.record,
      decision.action === 'create' ? undefined : this.#resourceVersion,
    );
    this.#observation = observeLease(this.#observation, toRecord(written), nowMs);
    this.#lastRenewMs = nowMs;
    if (!this.#leader) {
      this.#leader = true;
      this.#gauge?.set(1);
      this.#options.log?.info('started leading', { lease: `${namespace}/${name}`, identity });
      this.#options.onStartedLeading?.();
    }
  }

  #write(record: LeaseRecord, resourceVersion: string | undefined): Promise<V1Lease> {
    const { name, namespace } = this.#options;
    const body: V1Lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name, namespace, ...(resourceVersion ? { resourceVersion } : {}) },
      spec: {
        ...(record.holderIdentity ? { holderIdentity: record.holderIdentity } : {}),
        leaseDurationSeconds: Math.max(1, Math.ceil(record.leaseDurationMs / 1000)),
        acquireTime: new V1MicroTime(record.acquireTimeMs),
        renewTime: new V1MicroTime(record.renewTimeMs),
        leaseTransitions: record.leaseTransitions,
      },
    };
    return resourceVersion
      ? this.#api.replaceNamespacedLease({ name, namespace, body })
      : this.#api.createNamespacedLease({ namespace, body });
  }

  #lose(reason: string): void {
    if (!this.#leader) return;
    this.#leader = false;
    this.#gauge?.set(0);
    this.#options.log?.info('stopped leading', {
      lease: `${this.#options.namespace}/${this.#options.name}`,
      reason,
    });
    this.#options.onStoppedLeading?.();
  }
}
