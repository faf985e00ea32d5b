import type { Link__Output } from '@k8slistener/proto';
import type { LinkTemplate } from './render-context.ts';
import { renderTemplate } from './render-template.ts';

/**
 * At most this many links per message: Teams shows at most 6 card actions
 * (its host config's maxActions), Slack 25 buttons per actions block; a
 * notification needs a few.
 */
export const MAX_LINKS_PER_MESSAGE = 5;

/** Slack's limit for a button URL (https://docs.slack.dev/reference/block-elements/button-element), the tightest of the channels. */
export const LINK_URL_MAX_CHARS = 3000;

/**
 * The configured links that apply to destination `type`, their URL templates
 * rendered with every substituted value URL-encoded. A link whose template
 * fails, or whose result is not an absolute http(s) URL (or is too long), is
 * dropped with a warning; warnings name the link's title, never its URL,
 * which may carry a token.
 */
export function renderLinks(
  templates: readonly LinkTemplate[],
  type: string,
  view: object,
): { links: Link__Output[]; warnings: string[] } {
  const links: Link__Output[] = [];
  const warnings: string[] = [];
  for (const template of templates) {
    if (template.types !== undefined && !template.types.includes(type)) continue;
    if (links.length === MAX_LINKS_PER_MESSAGE) {
      warnings.push(`link "${template.title}" dropped: at most ${MAX_LINKS_PER_MESSAGE} links per message`);
      continue;
    }
    const url = renderTemplate(template.url, view, encodeURIComponent);
    if ('error' in url) {
      warnings.push(`link "${template.title}" dropped: url template: ${url.error}`);
      continue;
    }
    const href = absoluteHttpUrl(url.text);
    if (href === undefined) {
      warnings.push(`link "${template.title}" dropped: the rendered url is not an absolute http(s) URL`);
      continue;
    }
    if (href.length > LINK_URL_MAX_CHARS) {
      warnings.push(
        `link "${template.title}" dropped: the rendered url is longer than ${LINK_URL_MAX_CHARS} characters`,
      );
      continue;
    }
    const title = renderTemplate(template.title, view);
    if ('error' in title) {
      warnings.push(`link "${template.title}" dropped: title template: ${title.error}`);
      continue;
    }
    links.push({ title: title.text.trim() || new URL(href).host, url: href });
  }
  return { links, warnings };
}

/** The URL in normal form when it is absolute, http(s) and names a host; otherwise undefined. */
function absoluteHttpUrl(text: string): string | undefined {
  if (!URL.canParse(text)) return undefined;
  const url = new URL(text);
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return undefined;
  return url.href;
}
