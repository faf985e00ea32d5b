import Mustache from 'mustache';

/**
 * A view lookup that follows own properties only. Mustache's own lookup uses
 * `in`, which walks the prototype chain: `{{object.constructor.constructor}}`
 * would reach the Function constructor. Here it finds nothing, and a function
 * value (there is none in a template view, but a view is never trusted to be
 * clean) reads as missing, so a template cannot call anything.
 */
class OwnDataContext extends Mustache.Context {
  override push(view: unknown): Mustache.Context {
    return new OwnDataContext(view, this);
  }

  override lookup(name: string): unknown {
    for (let context: Mustache.Context | undefined = this; context !== undefined; context = context.parent) {
      const found = resolve(context.view, name);
      if (found.hit) return typeof found.value === 'function' ? undefined : found.value;
    }
    return undefined;
  }
}

function resolve(view: unknown, name: string): { hit: boolean; value?: unknown } {
  if (name === '.') return { hit: true, value: view };
  const names = name.split('.');
  // Like mustache: a plain name is only looked up in objects; a dotted path
  // may end on a primitive's own property (`{{message.length}}`).
  if (names.length === 1 && (typeof view !== 'object' || view === null)) return { hit: false };
  let value = view;
  for (const part of names) {
    if (value === null || value === undefined || !Object.hasOwn(Object(value), part)) return { hit: false };
    value = (value as Record<string, unknown>)[part];
  }
  return { hit: true, value };
}

/**
 * Partials are disabled (`{{> name}}` renders nothing), and both `{{x}}` and
 * `{{{x}}}` go through `encode`, so a link template cannot slip an unencoded
 * value past URL-encoding with triple braces.
 */
class DataWriter extends Mustache.Writer {
  readonly #encode: (text: string) => string;

  constructor(encode: (text: string) => string) {
    super();
    this.#encode = encode;
  }

  override escapedValue(token: string[], context: Mustache.Context): string {
    const value: unknown = context.lookup(token[1] ?? '');
    return value === null || value === undefined ? '' : this.#encode(displayValue(value));
  }

  override unescapedValue(token: string[], context: Mustache.Context): string {
    return this.escapedValue(token, context);
  }

  override renderPartial(): string {
    return '';
  }
}

/** How a view value reads in text: arrays as "a, b", label maps as "k=v, k2=v2" (sorted). */
export function displayValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(displayValue).join(', ');
  if (typeof value === 'object' && value !== null) {
    return Object.keys(value)
      .sort()
      .map((key) => `${key}=${displayValue((value as Record<string, unknown>)[key])}`)
      .join(', ');
  }
  return '';
}

export type TemplateResult = { text: string } | { error: string };

/**
 * `template` (mustache) rendered with `view` as plain text: no HTML escaping,
 * each substituted value passed through `encode` (identity by default), a
 * missing name rendering as empty. A template mustache cannot parse is an
 * error, not an exception.
 */
export function renderTemplate(
  template: string,
  view: object,
  encode: (text: string) => string = (text) => text,
): TemplateResult {
  try {
    // A writer per call: mustache's writers cache every template they parse,
    // and templates change with the rules, so a shared one would only grow.
    const writer = new DataWriter(encode);
    return { text: writer.render(template, new OwnDataContext(view)) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}
