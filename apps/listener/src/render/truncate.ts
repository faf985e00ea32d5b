/** Appended to text that was cut, so the reader knows there was more. */
export const ELLIPSIS = '…';

/** What one code point costs against a limit. */
export type CodePointCost = (codePoint: number) => number;

/** UTF-16 code units: what Slack, Telegram and Teams count as "characters". */
export const utf16Units: CodePointCost = (codePoint) => (codePoint > 0xffff ? 2 : 1);

/** UTF-8 bytes: what Elasticsearch and HTTP payload limits count. */
export const utf8Bytes: CodePointCost = (codePoint) =>
  codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;

/** What `text` costs in total. */
export function costOf(text: string, cost: CodePointCost = utf16Units): number {
  let total = 0;
  for (const char of text) total += cost(char.codePointAt(0) ?? 0);
  return total;
}

/**
 * `text` unchanged when it costs at most `max`, otherwise its longest prefix
 * that leaves room for an ellipsis, plus the ellipsis. Walks code points, so a
 * surrogate pair is kept whole or dropped whole.
 */
export function truncate(text: string, max: number, cost: CodePointCost = utf16Units): string {
  if (costOf(text, cost) <= max) return text;
  const budget = max - costOf(ELLIPSIS, cost);
  if (budget < 0) return '';
  let used = 0;
  let end = 0;
  for (const char of text) {
    const next = used + cost(char.codePointAt(0) ?? 0);
    if (next > budget) break;
    used = next;
    end += char.length;
  }
  return text.slice(0, end) + ELLIPSIS;
}
