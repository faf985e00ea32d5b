export {
  CHANNEL_ERROR_CODES,
  ChannelError,
  type ChannelErrorCode,
  type ChannelErrorOptions,
} from './channel-error.ts';
export { channelHttp } from './channel-http.ts';
export {
  DELIVERY_MEMORY_MAX_ENTRIES,
  DELIVERY_MEMORY_TTL_MS,
  DeliveryMemory,
  type DeliveryMemoryOptions,
  type Remembered,
} from './delivery-memory.ts';
export { fitText } from './fit-text.ts';
export { SEQUENTIAL_MAX_BATCH_SIZE } from './notifier-handlers.ts';
export {
  CHANNEL_ERROR_STATUS,
  DUPLICATE_DETAIL,
  deliveredResponse,
  duplicateResponse,
  failureStatus,
  type NotifyFailure,
} from './notify-status.ts';
export {
  DEFAULT_CHANNEL_TIMEOUT_MS,
  DEFAULT_DRAIN_TIMEOUT_MS,
  DEFAULT_GRPC_PORT,
  DEFAULT_METRICS_PORT,
  type PluginConfig,
  pluginConfig,
} from './plugin-config.ts';
export type {
  BatchItem,
  Delivered,
  DeliveryContext,
  MessageOf,
  MessageType,
  PluginDefinition,
  TargetsResult,
} from './plugin-definition.ts';
export type { PluginMetrics } from './plugin-metrics.ts';
export { retryAfterMs } from './retry-after.ts';
export { EXIT_BAD_SETTINGS, runPlugin } from './run-plugin.ts';
export { HEALTH_SERVICES, type RunningPlugin, type StartPluginOptions, startPlugin } from './start-plugin.ts';
export { isHttpUrl, type TargetFields, targetFields } from './target-fields.ts';
export {
  isRecord,
  type Parsed,
  readTargetsSource,
  TARGET_NAME_PATTERN,
  targetEntries,
} from './targets-source.ts';
