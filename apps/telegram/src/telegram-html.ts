/**
 * Text for parse_mode=HTML: "All <, > and & symbols that are not a part of a
 * tag or an HTML entity must be replaced with the corresponding HTML entities"
 * (https://core.telegram.org/bots/api#html-style).
 */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A value inside a double-quoted attribute (href): the text escapes plus the quote. */
export function escapeAttribute(text: string): string {
  return escapeHtml(text).replace(/"/g, '&quot;');
}
