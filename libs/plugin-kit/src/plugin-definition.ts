import type { Logger } from '@k8slistener/log';
import type { Notification__Output } from '@k8slistener/proto';
import type { ChannelError } from './channel-error.ts';

/** The message types of the Notification oneof; each plugin serves exactly one. */
export type MessageType = 'slack' | 'telegram' | 'teams' | 'elastic';

/** The rendered message of a plugin's type, e.g. SlackMessage__Output for 'slack'. */
export type MessageOf<T extends MessageType> = NonNullable<Notification__Output[T]>;

/** The targets a plugin parsed from its Secret, or every reason they are invalid (naming target and field). */
export type TargetsResult<Target> = { targets: Map<string, Target> } | { errors: string[] };

/** What a plugin's deliver gets besides the message. */
export interface DeliveryContext {
  /**
   * Aborted when the gRPC caller goes away (cancelled, deadline) or the
   * drain grace period runs out; pass it to ky so the channel call stops too.
   */
  signal: AbortSignal;
  /** Carries delivery_id, target and rule on every line. Never log a target's secrets. */
  log: Logger;
  /** CHANNEL_TIMEOUT_MS: give it to ky as `timeout`. */
  timeoutMs: number;
}

/** The channel accepted the message. */
export interface Delivered {
  /** The channel's own status, short: "200", "202", "ok". */
  channelStatus: string;
  /** Optional detail for the response and the log line, e.g. the created message id. */
  detail?: string;
}

/** One item of a native batch; the kit has already checked its type, target and delivery_id. */
export interface BatchItem<T extends MessageType, Target> {
  message: MessageOf<T>;
  target: Target;
  targetName: string;
  notification: Notification__Output;
}

/** What makes a plugin a Slack, a Telegram, a Teams or an Elastic plugin. */
export interface PluginDefinition<T extends MessageType, Target> {
  messageType: T;
  version: string;
  /**
   * Validates the targets document (see targetEntries, targetFields). Must
   * not throw on bad input, and errors must never quote a secret.
   */
  parseTargets(raw: unknown): TargetsResult<Target>;
  /**
   * Delivers one message. Resolve when the channel accepted it; throw a
   * ChannelError (or anything: ChannelError.from normalises it) otherwise.
   */
  deliver(
    message: MessageOf<T>,
    target: Target,
    notification: Notification__Output,
    context: DeliveryContext,
  ): Promise<Delivered>;
  /**
   * Optional native batch (e.g. Elasticsearch _bulk): one answer per item in
   * the same order, a ChannelError for each item that failed. When absent,
   * NotifyBatch delivers the items one by one with deliver().
   */
  deliverBatch?(
    items: readonly BatchItem<T, Target>[],
    context: DeliveryContext,
  ): Promise<(Delivered | ChannelError)[]>;
  /** Largest NotifyBatch accepted; SEQUENTIAL_MAX_BATCH_SIZE when unset. */
  maxBatchSize?: number;
}
