import type { Logger } from '@k8slistener/log';
import type { KubeEvent, Notification } from '@k8slistener/proto';
import { toTimestamp } from '@k8slistener/proto';
import type { RuleIndex } from '@k8slistener/rules';
import { type RenderContext, renderMessage } from '../render/index.ts';
import type { ActorRegistry } from '../sources/actor-registry.ts';
import { deliveryId } from './delivery-id.ts';

export interface DeliveryItem {
  notification: Notification;
  type: string;
  /** Deliveries with the same key keep their order: the object, the rule and the destination. */
  orderingKey: string;
}

export interface EventPipelineOptions {
  index: RuleIndex;
  actors: ActorRegistry;
  log: Logger;
  context: () => RenderContext;
  /** Hands one delivery over; waits while the destination's queue is full (backpressure). */
  deliver: (item: DeliveryItem) => Promise<void>;
  /** Told about each event before its deliveries, with how many there are (for the checkpoint). */
  onEvent?: (event: KubeEvent, deliveries: number) => void;
  /** Counts, for metrics. */
  onMatched?: (ruleKey: string, event: KubeEvent) => void;
  onSeen?: (event: KubeEvent) => void;
  now?: () => Date;
}

/**
 * What happens to each KubeEvent: learn its actor (for later rollouts), find
 * the rules that match, render each destination's message, and hand the
 * deliveries over in order.
 */
export function createEventPipeline(options: EventPipelineOptions): (event: KubeEvent) => Promise<void> {
  const now = options.now ?? (() => new Date());
  return async (event) => {
    options.onSeen?.(event);
    if (event.source === 'SOURCE_CHANGE') options.actors.record(event);
    const matches = options.index.match(event as Parameters<RuleIndex['match']>[0]);
    options.onEvent?.(event, matches.length);
    if (matches.length === 0) return;
    const context = options.context();
    const ref = event.involvedObject ?? {};
    const objectKey = ref.uid || `${ref.kind}/${ref.namespace}/${ref.name}`;
    for (const match of matches) {
      const { rule, destination, destinationIndex } = match;
      options.onMatched?.(rule.key, event);
      const id = deliveryId(event.id ?? '', rule.key, destinationIndex);
      const rendered = renderMessage(
        {
          type: destination.type,
          event: event as Parameters<typeof renderMessage>[0]['event'],
          rule: { kind: rule.kind, namespace: rule.namespace, name: rule.name },
          deliveryId: id,
          target: destination.target,
          ...(destination.template ? { template: destination.template } : {}),
        },
        context,
      );
      for (const warning of rendered.warnings ?? []) {
        options.log.warn('template fell back to the default', {
          rule: rule.key,
          destination: destinationIndex,
          warning,
        });
      }
      const notification: Notification = {
        deliveryId: id,
        event,
        rule: {
          kind: rule.kind,
          namespace: rule.namespace,
          name: rule.name,
          uid: rule.uid,
          generation: String(rule.generation),
          destinationIndex,
        },
        target: destination.target,
        attempt: 0,
        createdAt: toTimestamp(now()),
        ...rendered.message,
      };
      await options.deliver({
        notification,
        type: destination.type,
        orderingKey: `${objectKey}|${rule.key}|${destinationIndex}`,
      });
    }
  };
}
