export { type CheckpointStore, mergeCheckpoints, parseCheckpoint } from './checkpoint-codec.ts';
export { type CheckpointSaver, startCheckpointSaver } from './checkpoint-saver.ts';
export {
  CHECKPOINT_SKEW_MARGIN_MS,
  type Checkpoint,
  type CheckpointSnapshot,
  CheckpointTracker,
  type CheckpointTrackerOptions,
} from './checkpoint-tracker.ts';
export { classify, type Verdict } from './classify.ts';
export {
  CHECKPOINT_DATA_KEY,
  CheckpointError,
  ConfigMapCheckpointStore,
  type ConfigMapCheckpointStoreOptions,
} from './configmap-checkpoint-store.ts';
export {
  createDelivery,
  DEAD_LETTER_CAPACITY,
  DEFAULT_CALL_DEADLINE_MS,
  DEFAULT_CONCURRENCY_PER_TYPE,
  DEFAULT_QUEUE_CAPACITY_PER_TYPE,
  type DeadLetter,
  type Delivery,
  type DeliveryItem,
  type DeliveryOptions,
  type DeliveryOutcome,
  type DeliveryStats,
  type SettledResult,
} from './delivery.ts';
export { QueueClosedError } from './keyed-queue.ts';
export {
  LEASE_DURATION_MS,
  LeaderElector,
  type LeaderElectorOptions,
  RENEW_DEADLINE_MS,
  RETRY_PERIOD_MS,
} from './leader-elector.ts';
export {
  decideLease,
  type LeaseDecision,
  type LeaseObservation,
  type LeaseRecord,
  observeLease,
  releasedLease,
} from './lease-decision.ts';
export {
  BACKOFF_JITTER,
  BACKOFF_MULTIPLIER,
  defaultRetryPolicy,
  INITIAL_BACKOFF_MS,
  MAX_BACKOFF_MS,
  MAX_ELAPSED_MS,
  MAX_RETRY_AFTER_MS,
  nextDelay,
  RETRYABLE_CODES,
  type RetryPolicy,
  validateRetryPolicy,
} from './retry-policy.ts';
export { MESSAGE_TYPE_HEADER, type NotifyTransport, ROUTER_CHANNEL_OPTIONS } from './router-transport.ts';
