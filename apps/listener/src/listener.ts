import {
  type CheckpointSnapshot,
  CheckpointTracker,
  ConfigMapCheckpointStore,
  createDelivery,
  LeaderElector,
  startCheckpointSaver,
} from '@k8slistener/delivery';
import type { Logger } from '@k8slistener/log';
import type { KubeEvent } from '@k8slistener/proto';
import { fromTimestamp } from '@k8slistener/proto';
import { RuleIndex } from '@k8slistener/rules';
import { KubeConfig } from '@kubernetes/client-node';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { ListenerConfig } from './config/listener-config.ts';
import { type StatusServer, startStatusServer } from './http/status-server.ts';
import { KindResolver } from './kube/kind-resolver.ts';
import { KubeApi } from './kube/kube-api.ts';
import { createEventPipeline } from './pipeline/event-pipeline.ts';
import { startRulesController } from './rules/rules-controller.ts';
import { ActorRegistry } from './sources/actor-registry.ts';
import { admissionToKubeEvent, auditToKubeEvent } from './sources/change-conversion.ts';
import { startEventSource } from './sources/event-source.ts';
import { LabelResolver } from './sources/label-resolver.ts';
import { startRolloutSource } from './sources/rollout-source.ts';
import { startWebhookServer, type WebhookServer } from './sources/webhook-server.ts';

/** How often the delivery checkpoint is written to its ConfigMap. */
export const CHECKPOINT_INTERVAL_MS = 5000;
const CHECKPOINT_CONFIGMAP = 'k8slistener-checkpoint';
const LEASE_NAME = 'k8slistener-leader';

export interface RunningListener {
  httpPort: number;
  webhookPort?: number;
  /** Stop intake, drain deliveries, save the checkpoint, release the lease. */
  shutdown(): Promise<void>;
}

function eventTime(event: KubeEvent): Date {
  return fromTimestamp(event.lastTimestamp) ?? new Date();
}

/** Starts the whole listener from a validated configuration. */
export async function startListener(config: ListenerConfig, log: Logger): Promise<RunningListener> {
  const kubeConfig = new KubeConfig();
  if (config.kubeconfig) kubeConfig.loadFromFile(config.kubeconfig);
  else kubeConfig.loadFromDefault();
  const api = new KubeApi(kubeConfig);

  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'k8slistener_process_' });
  const eventsSeen = new Counter({
    name: 'k8slistener_events_seen_total',
    help: 'KubeEvents seen, by source',
    labelNames: ['source'],
    registers: [registry],
  });
  const matches = new Counter({
    name: 'k8slistener_rule_matches_total',
    help: 'Events matched, by rule',
    labelNames: ['rule'],
    registers: [registry],
  });
  const rulesGauge = new Gauge({
    name: 'k8slistener_rules',
    help: 'Rules known, by state (ready or invalid)',
    labelNames: ['state'],
    registers: [registry],
  });
  const leaderGauge = new Gauge({
    name: 'k8slistener_leader',
    help: '1 while this replica is the leader that delivers',
    registers: [registry],
  });

  // Declared before anything that can call shutdown() (a lost lease) runs.
  let stopping: Promise<void> | undefined;
  const index = new RuleIndex();
  const actors = new ActorRegistry();
  const kinds = new KindResolver(api, log.child({ component: 'discovery' }));
  void kinds.refresh();
  const ruleStates = new Map<string, 'ready' | 'invalid'>();
  // Kubernetes Events do not carry their object's labels; they are looked up only while a rule needs them.
  const labelRules = new Set<string>();
  const labels = new LabelResolver(api, kinds, log.child({ component: 'labels' }));
  let leading = !config.leaderElect;
  leaderGauge.set(leading ? 1 : 0);

  // The checkpoint: which events are fully delivered, so a restart neither repeats nor skips.
  const tracker = new CheckpointTracker();
  const store = new ConfigMapCheckpointStore({
    kubeConfig,
    namespace: config.namespace,
    name: CHECKPOINT_CONFIGMAP,
  });
  const pendingDeliveries = new Map<string, number>();
  const delivery = createDelivery({
    routerAddress: config.router,
    log: log.child({ component: 'delivery' }),
    registry,
    callDeadlineMs: config.callDeadlineMs,
    queueCapacityPerType: config.queueCapacity,
    onSettled: (result) => {
      const left = (pendingDeliveries.get(result.eventId) ?? 1) - 1;
      if (left <= 0) {
        pendingDeliveries.delete(result.eventId);
        tracker.settle(result.eventId);
      } else {
        pendingDeliveries.set(result.eventId, left);
      }
    },
  });

  const pipeline = createEventPipeline({
    index,
    actors,
    log,
    context: () => ({ cluster: config.clusterName, now: new Date(), links: config.links }),
    deliver: (item) => delivery.enqueue(item),
    onSeen: (event) =>
      eventsSeen.inc({
        source: String(event.source ?? '')
          .replace('SOURCE_', '')
          .toLowerCase(),
      }),
    onMatched: (rule) => matches.inc({ rule }),
    onEvent: (event, count) => {
      const id = event.id ?? '';
      tracker.begin(id, eventTime(event));
      if (count === 0) tracker.settle(id);
      else pendingDeliveries.set(id, count);
    },
  });

  const rules = startRulesController({
    api,
    index,
    log: log.child({ component: 'rules' }),
    writeStatus: () => leading,
    onChange: (rule, state) => {
      if (state === 'deleted') ruleStates.delete(rule);
      else ruleStates.set(rule, state);
      const match = index.get(rule)?.match;
      if (state === 'ready' && (match?.labelSelector || match?.expression?.includes('labels')))
        labelRules.add(rule);
      else labelRules.delete(rule);
      rulesGauge.set({ state: 'ready' }, [...ruleStates.values()].filter((s) => s === 'ready').length);
      rulesGauge.set({ state: 'invalid' }, [...ruleStates.values()].filter((s) => s === 'invalid').length);
    },
  });

  let sources: { stop(): void; synced(): boolean }[] = [];
  let checkpointSaver: { stop(): Promise<void> } | undefined;
  async function startIntake(): Promise<void> {
    const checkpoint: CheckpointSnapshot | undefined = await store.load();
    // Events the checkpoint still counts as pending stay pending until delivered again.
    if (checkpoint) tracker.resume(checkpoint);
    const replayAtStart = checkpoint
      ? (event: KubeEvent) => !CheckpointTracker.isDone(checkpoint, event.id ?? '', eventTime(event))
      : undefined;
    log.info('starting intake', {
      checkpoint: checkpoint
        ? { watermark: checkpoint.watermark, done: checkpoint.done.length }
        : 'none: nothing found at start-up is replayed',
    });
    await rules.firstSync;
    const emit = (event: KubeEvent) => pipeline(event);
    const emitWithLabels = async (event: KubeEvent) => {
      const ref = event.involvedObject;
      if (ref && labelRules.size > 0) ref.labels = await labels.labelsOf(ref);
      await pipeline(event);
    };
    const sourceLog = log.child({ component: 'sources' });
    sources = [
      startEventSource({
        api,
        cluster: config.clusterName,
        log: sourceLog,
        namespaces: config.namespaces,
        emit: emitWithLabels,
        ...(replayAtStart ? { replayAtStart } : {}),
      }),
      startRolloutSource({
        api,
        cluster: config.clusterName,
        log: sourceLog,
        namespaces: config.namespaces,
        actors,
        emit,
        actorWaitMs: config.actorWaitMs,
        ...(replayAtStart ? { replayAtStart } : {}),
      }),
    ];
    checkpointSaver = startCheckpointSaver(tracker, store, CHECKPOINT_INTERVAL_MS);
  }

  let elector: LeaderElector | undefined;
  if (config.leaderElect) {
    elector = new LeaderElector({
      kubeConfig,
      namespace: config.namespace,
      name: LEASE_NAME,
      identity: config.identity,
      onStartedLeading: () => {
        leading = true;
        leaderGauge.set(1);
        log.info('became the leader; delivering', { identity: config.identity });
        void rules.resync();
        startIntake().catch((error: unknown) => log.error('intake failed to start', { error }));
      },
      onStoppedLeading: () => {
        leaderGauge.set(0);
        // stop() at shutdown releases the lease and reports it here too; that is not a loss.
        if (!leading || stopping) return;
        // Another replica delivers from here on; exiting lets Kubernetes restart this one as a clean standby.
        log.warn('lost the leadership; stopping', { identity: config.identity });
        leading = false;
        void shutdown().then(() => process.exit(0));
      },
    });
    elector.start();
  } else {
    await startIntake();
  }

  let webhook: WebhookServer | undefined;
  let status: StatusServer | undefined;
  if (config.webhook) {
    const cluster = config.clusterName;
    webhook = await startWebhookServer({
      host: config.webhook.host,
      port: config.webhook.port,
      cert: config.webhook.cert,
      key: config.webhook.key,
      tokens: config.webhook.tokens,
      ...(config.webhook.clientCa ? { clientCa: config.webhook.clientCa } : {}),
      log: log.child({ component: 'webhook' }),
      onAudit: async (events) => {
        // Only the leader delivers. A standby answers 503, and the API server's audit backend
        // retries the batch, which the Service then sends to a replica that may be the leader.
        if (!leading) throw Object.assign(new Error('not the leader; retry'), { status: 503 });
        for (const audit of events) {
          const event = auditToKubeEvent(audit, cluster, (group, resource) => kinds.kindOf(group, resource));
          if (event) await pipeline(event);
        }
      },
      onAdmission: async (request) => {
        // Admission is never retried: a standby's observations are lost (see docs: run the
        // admission webhook with one replica, or use the audit webhook).
        if (!leading) return;
        const event = admissionToKubeEvent(request, cluster, new Date());
        if (event) await pipeline(event);
      },
    });
  }

  status = await startStatusServer({
    host: config.httpHost,
    port: config.httpPort,
    registry,
    log,
    healthy: () => true,
    ready: () => {
      if (!rules.synced()) return { ready: false, reason: 'rules not loaded yet (are the CRDs installed?)' };
      if (leading && !sources.every((s) => s.synced())) return { ready: false, reason: 'watches starting' };
      return { ready: true };
    },
    status: () => ({
      identity: config.identity,
      leader: leading,
      rules: Object.fromEntries(ruleStates),
      delivery: delivery.stats(),
      deadLetters: delivery.deadLetters(),
      checkpoint: tracker.snapshot(),
    }),
  });

  async function shutdown(): Promise<void> {
    stopping ??= (async () => {
      log.info('shutting down: stopping intake, draining deliveries');
      for (const source of sources) source.stop();
      rules.stop();
      await webhook?.close();
      const drained = await delivery.drain(config.drainTimeoutMs);
      if (!drained)
        log.warn('drain timed out; undelivered events stay pending in the checkpoint', {
          timeoutMs: config.drainTimeoutMs,
        });
      await checkpointSaver?.stop();
      await elector?.stop();
      delivery.close();
      await status?.close();
      log.info('stopped');
    })();
    return stopping;
  }

  return { httpPort: status.port, ...(webhook ? { webhookPort: webhook.port } : {}), shutdown };
}
