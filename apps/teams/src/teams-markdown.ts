/**
 * Characters that can start formatting in the Markdown subset Teams renders
 * in Fact titles and values (bold, italic, strike, code, links, HTML-ish
 * tags). CommonMark lets any ASCII punctuation be backslash-escaped, so
 * these are sent escaped and shown as typed.
 */
const INLINE_SIGNIFICANT = /[\\`*_~[\]()<>!|]/g;
/** At the start of a line these make headings, quotes, lists. */
const LINE_START_SIGNIFICANT = /^(\s*)([#>+-]|\d+[.)])/gm;

/** Text that Teams' Markdown shows literally: no emphasis, link, list or heading can be formed. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(INLINE_SIGNIFICANT, '\\$&')
    .replace(
      LINE_START_SIGNIFICANT,
      (_, space: string, mark: string) => `${space}${mark.replace(/[#>+.)-]/, '\\$&')}`,
    );
}
