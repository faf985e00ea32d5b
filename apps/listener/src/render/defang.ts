/**
 * The building blocks the per-channel neutralisers compose. Two techniques,
 * chosen by how the channel recognises the syntax:
 *
 * - A mention, channel reference, tag, command or domain is a run of
 *   characters that must be contiguous (`@here`, `<!channel>`, `/start`,
 *   `evil.com`). A WORD JOINER (U+2060) inside the run breaks it: it is not a
 *   name, tag or domain character in any grammar, it is invisible, and unlike
 *   ZERO WIDTH SPACE (U+200B) it is no line-break opportunity, so it never
 *   splits a word across lines. Unicode normalisation (NFC/NFKC) keeps it.
 * - Emphasis and code (`*b*`, `_i_`, `~s~`, `` `c` ``) are recognised by
 *   flanking rules that differ between parsers and may treat an invisible
 *   character as a boundary, so the marker itself is replaced by a lookalike
 *   that no markup language uses.
 *
 * URLs with a scheme are defanged visibly (`https[:]//evil[.]com`), the
 * convention security teams read at a glance; dots of scheme-less domains
 * (`evil.com`, image names) get the invisible joiner, so ordinary cluster
 * text reads unchanged.
 */
export const WORD_JOINER = '\u2060';
const WJ = WORD_JOINER;

// C0/C1 controls other than tab and newline, and the bidirectional overrides
// and isolates that can make text display in an order other than it reads.
const CONTROLS = /(?![\t\n])[\p{Cc}\u202A-\u202E\u2066-\u2069]/gu;

/** Newlines normalised to \n; other controls and bidi overrides removed. */
export function stripControls(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(CONTROLS, '');
}

const SCHEME_URL = /\b([a-z][a-z0-9+.-]*):\/\/([^\s/?#<>()[\]"'`\\|]*)/gi;

/** `https://evil.com/x` → `https[:]//evil[.]com/x`: no client links it, a reader still sees what it was. */
export function defangSchemeUrls(text: string): string {
  return text.replace(SCHEME_URL, (_all, scheme: string, authority: string) => {
    return `${scheme}[:]//${authority.replace(/[.。．｡]/g, '[.]')}`;
  });
}

// A dot (or an IDN full stop) between two letters or digits: every domain's
// label separator, and harmless elsewhere (file names, versions, field paths).
const INNER_DOT = /(?<=[\p{L}\p{N}])([.。．｡])(?=[\p{L}\p{N}])/gu;

/** `evil.com` → `evil.⁠com` (joiner after the dot): no longer a domain to auto-link. */
export function breakDomains(text: string): string {
  return text.replace(INNER_DOT, `$1${WJ}`);
}

/**
 * A joiner after every `marker` that is followed by something other than
 * whitespace (or a joiner already), e.g. `@here` → `@⁠here`, `<!channel>` →
 * `<⁠!channel>`. `marker` is a single character.
 */
export function breakAfter(text: string, marker: string): string {
  const escaped = marker.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
  return text.replace(new RegExp(`${escaped}(?=[^\\s${WJ}])`, 'g'), `${marker}${WJ}`);
}

/**
 * A joiner after a `marker` that starts a token and is followed by
 * `followedBy` (`#general`, `/start`, `$USD`). A token starts at the start of
 * the text or after anything but a letter, digit, underscore or the marker
 * itself, so `shop/web` and `https://` are left alone.
 */
export function breakTokenStart(text: string, marker: string, followedBy: RegExp): string {
  const escaped = marker.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_${escaped}])${escaped}(?=${followedBy.source})`, 'gu');
  return text.replace(pattern, `${marker}${WJ}`);
}

/** Lookalikes for emphasis and code markers; each reads as the original but is markup nowhere. */
export const MARKUP_LOOKALIKES: Readonly<Record<string, string>> = {
  '*': '\u2217', // ∗ ASTERISK OPERATOR
  '~': '\u223C', // ∼ TILDE OPERATOR
  '`': '\u02CB', // ˋ MODIFIER LETTER GRAVE ACCENT
  _: '\uFF3F', // ＿ FULLWIDTH LOW LINE
};

/**
 * Emphasis, strike-through and code markers replaced by lookalikes. An
 * underscore between two letters or digits (`MY_VAR`, `kube_pod_info`) is
 * left alone: no flavour of markdown emphasises inside a word with `_`, and
 * identifiers stay copyable.
 */
export function replaceMarkup(text: string): string {
  return text
    .replace(/[*~`]/g, (marker) => MARKUP_LOOKALIKES[marker] ?? marker)
    .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, MARKUP_LOOKALIKES._ ?? '_');
}

/**
 * A joiner in front of a block marker at the start of a line (`>quote`,
 * `# heading`, `- item`, `+ item`, `1. item`, `1) item`): markdown only sees
 * block syntax after at most a few spaces, and a joiner is not a space.
 */
export function breakLineStarts(text: string): string {
  return text.replace(/^([ \t]*)(>|(?:#+|[-+]|\d+[.)])(?=[ \t]|$))/gm, `$1${WJ}$2`);
}
