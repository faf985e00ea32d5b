import {
  breakAfter,
  breakDomains,
  breakLineStarts,
  breakTokenStart,
  defangSchemeUrls,
  replaceMarkup,
  stripControls,
  WORD_JOINER,
} from './defang.ts';

/**
 * Untrusted text made inert for a Teams Adaptive Card: no `**bold**`,
 * `_italic_`, code, heading, list or quote, no `[text](url)` link, no
 * `<at>…</at>` mention or other HTML, no auto-linked URL, domain or e-mail
 * address, no `@name`. `&`, `<` and `>` stay as they are: the plugin escapes
 * for the card (see defang.ts for the techniques).
 */
export function neutraliseTeams(text: string): string {
  let out = stripControls(text);
  out = replaceMarkup(out);
  out = defangSchemeUrls(out);
  out = breakDomains(out);
  out = breakAfter(out, '@');
  out = breakAfter(out, '<');
  out = out.replace(/\]\(/g, `]${WORD_JOINER}(`);
  out = breakTokenStart(out, '#', /[\p{L}\p{N}_]/u);
  return breakLineStarts(out);
}
