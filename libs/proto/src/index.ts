export type { Duration } from './generated/google/protobuf/Duration.ts';
export type { Timestamp } from './generated/google/protobuf/Timestamp.ts';
export type { HealthClient } from './generated/grpc/health/v1/Health.ts';
export type { HealthCheckResponse__Output } from './generated/grpc/health/v1/HealthCheckResponse.ts';
export type { Actor, Actor__Output } from './generated/k8slistener/v1/Actor.ts';
export type { ElasticDocument, ElasticDocument__Output } from './generated/k8slistener/v1/ElasticDocument.ts';
export { EventType } from './generated/k8slistener/v1/EventType.ts';
export type { Field, Field__Output } from './generated/k8slistener/v1/Field.ts';
export type { KubeEvent, KubeEvent__Output } from './generated/k8slistener/v1/KubeEvent.ts';
export type { Link, Link__Output } from './generated/k8slistener/v1/Link.ts';
export type { Notification, Notification__Output } from './generated/k8slistener/v1/Notification.ts';
export type { NotifierClient, NotifierHandlers } from './generated/k8slistener/v1/Notifier.ts';
export type {
  NotifyBatchRequest,
  NotifyBatchRequest__Output,
} from './generated/k8slistener/v1/NotifyBatchRequest.ts';
export type {
  NotifyBatchResponse,
  NotifyBatchResponse__Output,
} from './generated/k8slistener/v1/NotifyBatchResponse.ts';
export type { NotifyResponse, NotifyResponse__Output } from './generated/k8slistener/v1/NotifyResponse.ts';
export type { ObjectReference, ObjectReference__Output } from './generated/k8slistener/v1/ObjectReference.ts';
export { Outcome } from './generated/k8slistener/v1/Outcome.ts';
export type { PluginInfo, PluginInfo__Output } from './generated/k8slistener/v1/PluginInfo.ts';
export type { RuleRef, RuleRef__Output } from './generated/k8slistener/v1/RuleRef.ts';
export { Severity } from './generated/k8slistener/v1/Severity.ts';
export type { SlackMessage, SlackMessage__Output } from './generated/k8slistener/v1/SlackMessage.ts';
export { Source } from './generated/k8slistener/v1/Source.ts';
export type { TeamsMessage, TeamsMessage__Output } from './generated/k8slistener/v1/TeamsMessage.ts';
export type { TelegramMessage, TelegramMessage__Output } from './generated/k8slistener/v1/TelegramMessage.ts';
export { type Contracts, LOADER_OPTIONS, loadContracts, PROTO_DIR } from './load.ts';
export { RESPONSE_TRAILER_KEY, readResponseTrailer, responseTrailer } from './response-trailer.ts';
export { durationMs, fromTimestamp, toDuration, toTimestamp } from './time.ts';
