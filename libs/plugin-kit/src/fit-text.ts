const ELLIPSIS = '…';

/**
 * `text` passed through `encode` (a channel's escaping), cut to at most
 * `maxChars` UTF-16 units (the unit Slack, Telegram and Teams count) with an
 * ellipsis when cut. Cuts between characters, never inside an escape
 * sequence or a surrogate pair.
 */
export function fitText(text: string, maxChars: number, encode: (s: string) => string = (s) => s): string {
  const whole = encode(text);
  if (whole.length <= maxChars) return whole;
  let out = '';
  for (const char of text) {
    const piece = encode(char);
    if (out.length + piece.length > maxChars - ELLIPSIS.length) break;
    out += piece;
  }
  return out + ELLIPSIS;
}
