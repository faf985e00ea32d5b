import { breakAfter, breakDomains, breakTokenStart, defangSchemeUrls, stripControls } from './defang.ts';

/**
 * Untrusted text made inert for Telegram: no `@username` mention, no HTML tag
 * (`<b>`, `<a href>`) even if the plugin forgot to escape, no `tg://` or other
 * link, no auto-linked domain or e-mail address, no clickable `/command`,
 * `#hashtag` or `$CASHTAG`. `&`, `<` and `>` stay as they are: the plugin
 * escapes them for HTML parse mode, so `&lt;` is shown literally. `*`, `_` and
 * `~` mean nothing in HTML parse mode and are left readable.
 */
export function neutraliseTelegram(text: string): string {
  let out = stripControls(text);
  out = defangSchemeUrls(out);
  out = breakDomains(out);
  out = breakAfter(out, '@');
  out = breakAfter(out, '<');
  out = breakTokenStart(out, '/', /[\p{L}\p{N}_]/u);
  out = breakTokenStart(out, '#', /[\p{L}\p{N}_]/u);
  return breakTokenStart(out, '$', /\p{L}/u);
}
