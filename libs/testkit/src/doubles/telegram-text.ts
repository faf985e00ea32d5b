/*
 * Telegram's parse_mode=HTML, close enough that markup Telegram refuses is
 * refused here with the same words. The tags and entities follow
 * https://core.telegram.org/bots/api#html-style; the error texts and the
 * parsing order follow TDLib's parse_html (td/telegram/MessageEntity.cpp),
 * which the Bot API server runs.
 */

/** A MessageEntity (https://core.telegram.org/bots/api#messageentity); offsets in UTF-16 code units. */
export interface TelegramEntity {
  readonly type: string;
  readonly offset: number;
  readonly length: number;
  readonly url?: string;
  readonly language?: string;
  readonly custom_emoji_id?: string;
}

export interface FormattedText {
  readonly text: string;
  readonly entities: readonly TelegramEntity[];
}

export type TelegramHtmlParse =
  | ({ readonly ok: true } & FormattedText)
  /** `error` is what follows "Bad Request: can't parse entities: ". */
  | { readonly ok: false; readonly error: string };

const ENTITY_TYPE_BY_TAG: Readonly<Record<string, string>> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  span: 'spoiler',
  'tg-spoiler': 'spoiler',
  a: 'text_link',
  'tg-emoji': 'custom_emoji',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
};

// "The API currently supports only the following named HTML entities: &lt;, &gt;, &amp; and &quot;."
const NAMED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"' };

interface OpenTag {
  readonly tag: string;
  readonly offset: number;
  readonly attributes: Readonly<Record<string, string>>;
  /** Set by a `<code class="language-…">` directly inside this `<pre>`. */
  language?: string;
}

class HtmlError extends Error {}

/** Parses Telegram HTML into plain text and entities, or the reason Telegram would refuse it. */
export function parseTelegramHtml(html: string): TelegramHtmlParse {
  try {
    return { ok: true, ...parse(html) };
  } catch (error) {
    if (error instanceof HtmlError) return { ok: false, error: error.message };
    throw error;
  }
}

function parse(html: string): FormattedText {
  const byteOffset = (index: number) => Buffer.byteLength(html.slice(0, index));
  const fail = (message: string): never => {
    throw new HtmlError(message);
  };
  const stack: OpenTag[] = [];
  const entities: TelegramEntity[] = [];
  let text = '';
  let i = 0;
  while (i < html.length) {
    const char = html[i] as string;
    if (char === '&') {
      const decoded = decodeEntity(html, i);
      text += decoded?.value ?? '&';
      i = decoded?.next ?? i + 1;
      continue;
    }
    if (char !== '<') {
      text += char;
      i += 1;
      continue;
    }
    const begin = i;
    if (html[i + 1] === '/') {
      if (stack.length === 0) fail(`Unexpected end tag at byte offset ${byteOffset(begin)}`);
      let j = i + 2;
      while (j < html.length && !isSpace(html[j]) && html[j] !== '>') j += 1;
      const endTag = html.slice(i + 2, j).toLowerCase();
      while (j < html.length && isSpace(html[j])) j += 1;
      if (html[j] !== '>') fail(`Unclosed end tag at byte offset ${byteOffset(begin)}`);
      const open = stack.pop() as OpenTag;
      // `</>` closes whatever is open, as in TDLib.
      if (endTag !== '' && endTag !== open.tag) {
        fail(
          `Unmatched end tag at byte offset ${byteOffset(begin)}, expected "</${open.tag}>", found "</${endTag}>"`,
        );
      }
      const entity = close(open, stack.at(-1), text);
      if (entity !== undefined) entities.push(entity);
      i = j + 1;
      continue;
    }

    let j = i + 1;
    while (j < html.length && !isSpace(html[j]) && html[j] !== '>') j += 1;
    if (j >= html.length) fail(`Unclosed start tag at byte offset ${byteOffset(begin)}`);
    const tag = html.slice(i + 1, j).toLowerCase();
    if (!(tag in ENTITY_TYPE_BY_TAG))
      fail(`Unsupported start tag "${tag}" at byte offset ${byteOffset(begin)}`);

    const attributes: Record<string, string> = {};
    for (;;) {
      while (j < html.length && isSpace(html[j])) j += 1;
      if (j >= html.length) fail(`Unclosed start tag at byte offset ${byteOffset(begin)}`);
      if (html[j] === '>') break;
      const nameStart = j;
      while (j < html.length && !isSpace(html[j]) && html[j] !== '=' && html[j] !== '>') j += 1;
      const name = html.slice(nameStart, j).toLowerCase();
      if (name === '') fail(`Empty attribute name in the tag "${tag}" at byte offset ${byteOffset(begin)}`);
      while (j < html.length && isSpace(html[j])) j += 1;
      if (html[j] !== '=') {
        // The one attribute Telegram takes without a value.
        if (tag === 'blockquote' && name === 'expandable') {
          attributes[name] = '';
          continue;
        }
        fail(
          `Expected equal sign in declaration of an attribute of the tag "${tag}" at byte offset ${byteOffset(begin)}`,
        );
      }
      j += 1;
      while (j < html.length && isSpace(html[j])) j += 1;
      if (j >= html.length) fail(`Unclosed start tag at byte offset ${byteOffset(begin)}`);
      const quote = html[j];
      let value = '';
      if (quote === '"' || quote === "'") {
        j += 1;
        while (j < html.length && html[j] !== quote) {
          const decoded = html[j] === '&' ? decodeEntity(html, j) : undefined;
          value += decoded?.value ?? html[j];
          j = decoded?.next ?? j + 1;
        }
        if (j >= html.length) fail(`Unclosed start tag at byte offset ${byteOffset(begin)}`);
        j += 1;
      } else {
        // An unquoted value is an SGML name token: letters, digits, periods and hyphens.
        const tokenStart = j;
        while (j < html.length && /[A-Za-z0-9.-]/.test(html[j] as string)) j += 1;
        value = html.slice(tokenStart, j).toLowerCase();
        if (j < html.length && !isSpace(html[j]) && html[j] !== '>') {
          fail(`Unexpected end of name token at byte offset ${byteOffset(tokenStart)}`);
        }
      }
      attributes[name] = value;
    }
    if (tag === 'span' && attributes.class !== 'tg-spoiler') {
      fail(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(begin)}`);
    }
    stack.push({ tag, offset: text.length, attributes });
    i = j + 1;
  }
  const unclosed = stack.at(-1);
  if (unclosed !== undefined) fail(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);
  return { text, entities: sortEntities(entities) };
}

/** The entity a closed tag makes, if any; a `<code>` inside `<pre>` only lends it its language. */
function close(open: OpenTag, parent: OpenTag | undefined, text: string): TelegramEntity | undefined {
  const length = text.length - open.offset;
  const { tag, offset, attributes } = open;
  if (tag === 'code' && parent?.tag === 'pre') {
    const language = /^language-(.+)$/.exec(attributes.class ?? '')?.[1];
    if (language !== undefined) parent.language = language;
    return undefined;
  }
  if (length === 0) return undefined;
  switch (tag) {
    case 'a': {
      // Without href, the link text is the URL.
      const url = attributes.href ?? text.slice(offset);
      return url === '' ? undefined : { type: 'text_link', offset, length, url };
    }
    case 'pre':
      return open.language === undefined
        ? { type: 'pre', offset, length }
        : { type: 'pre', offset, length, language: open.language };
    case 'blockquote':
      return { type: 'expandable' in attributes ? 'expandable_blockquote' : 'blockquote', offset, length };
    case 'tg-emoji':
      return { type: 'custom_emoji', offset, length, custom_emoji_id: attributes['emoji-id'] ?? '' };
    default:
      return { type: ENTITY_TYPE_BY_TAG[tag] as string, offset, length };
  }
}

/** `&lt;`, `&#60;`, `&#x3c;` (the `;` optional, as in TDLib); undefined leaves the `&` as text. */
function decodeEntity(html: string, at: number): { value: string; next: number } | undefined {
  let end = at + 1;
  let value: string | undefined;
  if (html[end] === '#') {
    end += 1;
    const hex = html[end] === 'x';
    if (hex) end += 1;
    const digitsStart = end;
    while (end < html.length && (hex ? /[0-9a-fA-F]/ : /[0-9]/).test(html[end] as string)) end += 1;
    const code = Number.parseInt(html.slice(digitsStart, end), hex ? 16 : 10);
    if (!Number.isFinite(code) || code === 0 || code >= 0x10ffff || end - at >= 10) return undefined;
    value = String.fromCodePoint(code);
  } else {
    while (end < html.length && /[A-Za-z]/.test(html[end] as string)) end += 1;
    value = NAMED_ENTITIES[html.slice(at + 1, end)];
    if (value === undefined) return undefined;
  }
  return { value, next: html[end] === ';' ? end + 1 : end };
}

function isSpace(char: string | undefined): boolean {
  return char === ' ' || char === '\t' || char === '\n' || char === '\r';
}

/** Telegram's order: by offset, the longer of two entities at one offset first. */
function sortEntities(entities: TelegramEntity[]): TelegramEntity[] {
  return entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
}

/**
 * Telegram drops leading and trailing whitespace from a message; entities
 * shift and shrink with it, and those left empty disappear.
 */
export function trimFormattedText({ text, entities }: FormattedText): FormattedText {
  const lead = text.length - text.trimStart().length;
  const trimmed = text.trim();
  const kept: TelegramEntity[] = [];
  for (const entity of entities) {
    const start = Math.max(0, entity.offset - lead);
    const end = Math.min(trimmed.length, entity.offset + entity.length - lead);
    if (end > start) kept.push({ ...entity, offset: start, length: end - start });
  }
  return { text: trimmed, entities: kept };
}

/** Message length as Telegram limits it: in characters (code points), after parsing. */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}
