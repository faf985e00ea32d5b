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
 * Untrusted text made inert for Slack: no `@channel`/`@here`/`@everyone` or
 * user mention, no `<!…>`/`<@…>`/`<#…>`/`<url|text>` sequence, no `#channel`
 * reference, no auto-linked URL, domain or e-mail address, no `:emoji:` code,
 * no mrkdwn emphasis, code or block quote. `&`, `<` and `>` stay as they are:
 * the plugin escapes them for mrkdwn (see defang.ts for the techniques).
 */
export function neutraliseSlack(text: string): string {
  let out = stripControls(text);
  out = replaceMarkup(out);
  out = defangSchemeUrls(out);
  out = breakDomains(out);
  out = breakAfter(out, '@');
  out = breakAfter(out, '<');
  out = out.replace(/\]\(/g, `]${WORD_JOINER}(`);
  out = breakTokenStart(out, '#', /[\p{L}\p{N}_-]/u);
  // An emoji code names something (`:fire:`); all-digit runs are times (`14:02:11`), left alone.
  out = out.replace(/:(?=[\p{N}_+'-]*\p{L}[\p{L}\p{N}_+'-]*:)/gu, `:${WORD_JOINER}`);
  return breakLineStarts(out);
}
