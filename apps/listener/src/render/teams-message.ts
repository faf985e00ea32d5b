import type { TeamsMessage__Output } from '@k8slistener/proto';
import { type ChatContent, oneLine } from './default-content.ts';
import { neutraliseTeams } from './neutralise-teams.ts';
import { type CodePointCost, costOf, truncate, utf8Bytes } from './truncate.ts';

/**
 * Teams refuses a message above about 28 KB
 * (https://learn.microsoft.com/microsoftteams/limits-specifications-teams#chat);
 * the card's words stay within 20 KB, leaving the rest for the card's JSON
 * and the plugin's markdown escaping.
 */
export const TEAMS_CARD_TEXT_BUDGET_BYTES = 20_000;
export const TEAMS_TITLE_MAX_CHARS = 256;
export const TEAMS_FIELD_NAME_MAX_CHARS = 64;
export const TEAMS_FIELD_VALUE_MAX_CHARS = 1024;
export const TEAMS_CONTEXT_MAX_CHARS = 512;
export const TEAMS_LINK_TITLE_MAX_CHARS = 64;

/** What a code point costs inside a JSON string on the wire: UTF-8 bytes, escapes counted. */
export const jsonUtf8Bytes: CodePointCost = (codePoint) =>
  codePoint === 0x22 || codePoint === 0x5c || codePoint === 0x0a || codePoint === 0x09
    ? 2
    : codePoint < 0x20
      ? 6
      : utf8Bytes(codePoint);

/** A TeamsMessage: every text neutralised for an Adaptive Card; the body gets what the rest leaves of the budget. */
export function teamsMessage(content: ChatContent): TeamsMessage__Output {
  const title = truncate(oneLine(neutraliseTeams(content.title)), TEAMS_TITLE_MAX_CHARS);
  const fields = content.fields.map((field) => ({
    name: truncate(oneLine(neutraliseTeams(field.name)), TEAMS_FIELD_NAME_MAX_CHARS),
    value: truncate(oneLine(neutraliseTeams(field.value)), TEAMS_FIELD_VALUE_MAX_CHARS),
    short: field.short,
  }));
  const links = content.links.map((link) => ({
    title: truncate(oneLine(neutraliseTeams(link.title)), TEAMS_LINK_TITLE_MAX_CHARS),
    url: link.url,
  }));
  const context = truncate(oneLine(neutraliseTeams(content.context)), TEAMS_CONTEXT_MAX_CHARS);
  const used =
    costOf(title, jsonUtf8Bytes) +
    costOf(context, jsonUtf8Bytes) +
    fields.reduce((sum, f) => sum + costOf(f.name, jsonUtf8Bytes) + costOf(f.value, jsonUtf8Bytes), 0) +
    links.reduce((sum, link) => sum + costOf(link.title, jsonUtf8Bytes) + costOf(link.url, jsonUtf8Bytes), 0);
  return {
    title,
    text: truncate(
      neutraliseTeams(content.text).trim(),
      Math.max(0, TEAMS_CARD_TEXT_BUDGET_BYTES - used),
      jsonUtf8Bytes,
    ),
    severity: content.severity,
    fields,
    links,
    context,
  };
}
