import { templateView } from '@k8slistener/rules';
import { type ChatContent, defaultContent, fallbackText } from './default-content.ts';
import { elasticDocument } from './elastic-document.ts';
import { eventFacts } from './event-facts.ts';
import type { RenderContext, RenderedMessage, RenderInput, RenderResult } from './render-context.ts';
import { renderLinks } from './render-links.ts';
import { renderTemplate } from './render-template.ts';
import { slackMessage } from './slack-message.ts';
import { teamsMessage } from './teams-message.ts';
import { telegramMessage } from './telegram-message.ts';

const CHAT_MESSAGES: Readonly<Record<string, (content: ChatContent) => RenderedMessage>> = {
  slack: (content) => ({ slack: slackMessage(content) }),
  telegram: (content) => ({ telegram: telegramMessage(content) }),
  teams: (content) => ({ teams: teamsMessage(content) }),
};

/**
 * One match rendered for one destination: the channel's message (defaults,
 * or the destination's templates), neutralised for the channel and cut to
 * its limits. Pure: the time comes from the event or `context.now`.
 *
 * An `elastic` destination gets the stored document (templates do not apply
 * to it); a type the listener has no message for gets `{}`, and its plugin
 * reads the KubeEvent that every Notification carries.
 */
export function renderMessage(input: RenderInput, context: RenderContext): RenderResult {
  const facts = eventFacts(input.event, context.now);
  if (input.type === 'elastic') {
    const document = elasticDocument(facts, {
      cluster: context.cluster,
      deliveryId: input.deliveryId,
      rule: input.rule,
    });
    return { message: { elastic: document }, warnings: [] };
  }
  const build = Object.hasOwn(CHAT_MESSAGES, input.type) ? CHAT_MESSAGES[input.type] : undefined;
  if (build === undefined) return { message: {}, warnings: [] };

  const warnings: string[] = [];
  // The view rule authors write against, the same one compileRule checks template names with
  // (libs/rules): {{event.object.name}}, {{event.actor.username}}, {{rule.name}}, {{destination.target}}.
  const view = templateView(
    input.event,
    {
      kind: input.rule.kind === 'EventRule' ? 'EventRule' : 'ClusterEventRule',
      namespace: input.rule.namespace,
      name: input.rule.name,
    },
    { type: input.type, target: input.target ?? '' },
  );
  const defaults = defaultContent(facts, input.rule, context.cluster);
  const title = fromTemplate('title', input.template?.title, defaults.title, view, warnings);
  const text = fromTemplate('text', input.template?.text, defaults.text, view, warnings);
  const links = renderLinks(context.links, input.type, view);
  warnings.push(...links.warnings);
  return {
    message: build({
      ...defaults,
      title,
      text,
      links: links.links,
      fallback: fallbackText(title, facts.actor.username),
    }),
    warnings,
  };
}

/**
 * The rendered template, or the default when there is none or it fails (with
 * a warning). A title that renders blank also falls back: a message needs a
 * headline. A blank text is kept — a rule may want the title alone.
 */
function fromTemplate(
  part: 'title' | 'text',
  template: string | undefined,
  fallback: string,
  view: object,
  warnings: string[],
): string {
  if (template === undefined) return fallback;
  const result = renderTemplate(template, view);
  if ('error' in result) {
    warnings.push(`${part} template failed (${result.error}); used the default ${part}`);
    return fallback;
  }
  if (part === 'title' && result.text.trim() === '') {
    warnings.push('title template rendered blank; used the default title');
    return fallback;
  }
  return result.text;
}
