import type { SlackMessage__Output } from '@k8slistener/proto';
import { type ChatContent, oneLine } from './default-content.ts';
import { neutraliseSlack } from './neutralise-slack.ts';
import { type CodePointCost, costOf, truncate, utf16Units } from './truncate.ts';

// Block Kit limits (https://docs.slack.dev/reference/block-kit/blocks, each block's page).
/** header block text. */
export const SLACK_HEADER_MAX_CHARS = 150;
/** section block text. */
export const SLACK_SECTION_TEXT_MAX_CHARS = 3000;
/** section block fields. */
export const SLACK_MAX_FIELDS = 10;
/** Each section field's text, label included. */
export const SLACK_FIELD_TEXT_MAX_CHARS = 2000;
/** context block text element (the slack plugin's cap). */
export const SLACK_CONTEXT_MAX_CHARS = 2000;
/** button text (https://docs.slack.dev/reference/block-elements/button-element). */
export const SLACK_BUTTON_TEXT_MAX_CHARS = 75;
/**
 * Top-level text: Slack advises at most 4,000 characters
 * (https://docs.slack.dev/reference/methods/chat.postMessage#truncating); the
 * slack plugin keeps 3,000, its "[WARNING] " prefix included.
 */
export const SLACK_FALLBACK_MAX_CHARS = 3000 - 12;
/** Room the plugin needs in the header for the severity emoji code and a space (":rotating_light: "). */
export const SLACK_TITLE_PREFIX_RESERVE_CHARS = 20;
/** The label the plugin puts before a field's value: "*Name*\n". */
const FIELD_LABEL_OVERHEAD_CHARS = 3;
/** The plugin's own cap on a field label. */
const SLACK_FIELD_NAME_MAX_CHARS = 100;

/**
 * What text costs once the plugin escapes it for mrkdwn (& → &amp;, < → &lt;,
 * > → &gt;), which is what Slack counts: a limit met here is met on the wire.
 */
export const mrkdwnCost: CodePointCost = (codePoint) =>
  codePoint === 0x26 ? 5 : codePoint === 0x3c || codePoint === 0x3e ? 4 : utf16Units(codePoint);

/** A SlackMessage: every text neutralised for Slack, then cut to Block Kit's limits. */
export function slackMessage(content: ChatContent): SlackMessage__Output {
  return {
    title: truncate(
      oneLine(neutraliseSlack(content.title)),
      SLACK_HEADER_MAX_CHARS - SLACK_TITLE_PREFIX_RESERVE_CHARS,
    ),
    text: truncate(neutraliseSlack(content.text).trim(), SLACK_SECTION_TEXT_MAX_CHARS, mrkdwnCost),
    severity: content.severity,
    fields: content.fields.slice(0, SLACK_MAX_FIELDS).map((field) => {
      const name = truncate(oneLine(neutraliseSlack(field.name)), SLACK_FIELD_NAME_MAX_CHARS, mrkdwnCost);
      const room = SLACK_FIELD_TEXT_MAX_CHARS - costOf(name, mrkdwnCost) - FIELD_LABEL_OVERHEAD_CHARS;
      return {
        name,
        value: truncate(oneLine(neutraliseSlack(field.value)), room, mrkdwnCost),
        short: field.short,
      };
    }),
    links: content.links.map((link) => ({
      title: truncate(oneLine(neutraliseSlack(link.title)), SLACK_BUTTON_TEXT_MAX_CHARS),
      url: link.url,
    })),
    fallback: truncate(oneLine(neutraliseSlack(content.fallback)), SLACK_FALLBACK_MAX_CHARS, mrkdwnCost),
    context: truncate(oneLine(neutraliseSlack(content.context)), SLACK_CONTEXT_MAX_CHARS, mrkdwnCost),
  };
}
