import { fitText, isHttpUrl } from '@k8slistener/plugin-kit';
import type { TeamsMessage__Output } from '@k8slistener/proto';
import { escapeMarkdown } from './teams-markdown.ts';

/**
 * Adaptive Card 1.4: everything used here renders in Teams desktop, web and
 * mobile (https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/cards-reference).
 */
export const CARD_VERSION = '1.4';
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
/**
 * Teams refuses messages above about 28 KB; these caps keep a card well below
 * it whatever the listener sends.
 */
export const MAX_TITLE_CHARS = 200;
export const MAX_TEXT_CHARS = 6000;
export const MAX_FACTS = 30;
export const MAX_FACT_TITLE_CHARS = 100;
export const MAX_FACT_VALUE_CHARS = 500;
export const MAX_CONTEXT_CHARS = 500;
/** The Adaptive Cards default host allows five actions; Teams shows no more than six. */
export const MAX_ACTIONS = 5;
export const MAX_ACTION_TITLE_CHARS = 60;

/** Card accents per severity: the title container's style and the title's colour. */
export const SEVERITY_STYLE: Readonly<Record<string, { style: string; color: string; label: string }>> = {
  SEVERITY_UNSPECIFIED: { style: 'accent', color: 'Accent', label: 'ℹ️ INFO' },
  SEVERITY_INFO: { style: 'accent', color: 'Accent', label: 'ℹ️ INFO' },
  SEVERITY_SUCCESS: { style: 'good', color: 'Good', label: '✅ SUCCESS' },
  SEVERITY_WARNING: { style: 'warning', color: 'Warning', label: '⚠️ WARNING' },
  SEVERITY_ERROR: { style: 'attention', color: 'Attention', label: '🚨 ERROR' },
};

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: string;
  body: Record<string, unknown>[];
  actions?: { type: 'Action.OpenUrl'; title: string; url: string }[];
  /** Teams-specific: use the full width of the channel. */
  msteams: { width: 'Full' };
}

/** The body a Workflows webhook takes: a Bot Framework message with the card as its one attachment. */
export interface TeamsEnvelope {
  type: 'message';
  attachments: { contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE; contentUrl: null; content: AdaptiveCard }[];
}

/** Plain text that no Markdown touches: a TextRun is never parsed, unlike a TextBlock. */
const plainText = (text: string, run: Record<string, unknown> = {}, block: Record<string, unknown> = {}) => ({
  type: 'RichTextBlock',
  inlines: [{ type: 'TextRun', text, ...run }],
  ...block,
});

/**
 * The Adaptive Card for a TeamsMessage: a styled container with the severity
 * and the title, the text, the fields as a FactSet, the context as small
 * print, and the links as Action.OpenUrl buttons. Title, text and context are
 * TextRuns (never Markdown); fact titles and values, which Teams renders as
 * Markdown, are escaped. Errors name a link that is not http(s), or a
 * message with nothing to show.
 */
export function adaptiveCard(message: TeamsMessage__Output): { value: AdaptiveCard } | { errors: string[] } {
  const errors: string[] = [];
  message.links.forEach((link, index) => {
    if (!isHttpUrl(link.url)) errors.push(`links[${index}].url: expected an absolute http(s) URL`);
  });
  const title = message.title.trim();
  const text = message.text.trim();
  const fields = message.fields.filter((f) => f.name.trim() !== '' || f.value.trim() !== '');
  if (title === '' && text === '' && fields.length === 0) errors.push('message has no title, text or fields');
  if (errors.length > 0) return { errors };

  const severity = SEVERITY_STYLE[String(message.severity)] ?? {
    style: 'accent',
    color: 'Accent',
    label: 'INFO',
  };
  const heading: Record<string, unknown>[] = [
    plainText(severity.label, { size: 'Small', weight: 'Bolder', color: severity.color }),
  ];
  if (title !== '') {
    heading.push(
      plainText(fitText(title, MAX_TITLE_CHARS), { size: 'Large', weight: 'Bolder', color: severity.color }),
    );
  }
  const body: Record<string, unknown>[] = [
    { type: 'Container', style: severity.style, bleed: true, items: heading },
  ];
  if (text !== '') body.push(plainText(fitText(text, MAX_TEXT_CHARS), {}, { spacing: 'Medium' }));
  if (fields.length > 0) {
    body.push({
      type: 'FactSet',
      spacing: 'Medium',
      facts: fields.slice(0, MAX_FACTS).map((f) => ({
        title: escapeMarkdown(fitText(f.name.trim(), MAX_FACT_TITLE_CHARS)),
        value: escapeMarkdown(fitText(f.value.trim() || '—', MAX_FACT_VALUE_CHARS)),
      })),
    });
  }
  const context = message.context.trim();
  if (context !== '') {
    body.push(
      plainText(
        fitText(context, MAX_CONTEXT_CHARS),
        { size: 'Small', isSubtle: true },
        { spacing: 'Medium' },
      ),
    );
  }
  const actions = message.links.slice(0, MAX_ACTIONS).map((link) => ({
    type: 'Action.OpenUrl' as const,
    title: fitText(link.title.trim() || link.url, MAX_ACTION_TITLE_CHARS),
    url: link.url,
  }));
  return {
    value: {
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: CARD_VERSION,
      body,
      ...(actions.length > 0 ? { actions } : {}),
      msteams: { width: 'Full' },
    },
  };
}

export function teamsEnvelope(card: AdaptiveCard): TeamsEnvelope {
  return {
    type: 'message',
    attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, contentUrl: null, content: card }],
  };
}
