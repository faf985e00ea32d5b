/** True for an absolute http: or https: URL — the only kind a plugin posts to or shows as a link. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * Reads one target's settings, collecting an error per bad field in `errors`
 * ("target \"ops\": webhookUrl: …"). Values are never quoted: they may be secrets.
 */
export interface TargetFields {
  /** A non-empty string; undefined (and an error) when missing or not a string. */
  string(field: string): string | undefined;
  optionalString(field: string): string | undefined;
  /** An absolute http(s) URL. */
  url(field: string): string | undefined;
  optionalUrl(field: string): string | undefined;
  /** A string or an integer (Telegram chat ids are either); always returned as a string. */
  id(field: string): string | undefined;
  optionalInteger(field: string, min: number, max: number): number | undefined;
  optionalBoolean(field: string): boolean | undefined;
  /** Adds an error for every field not in `known` (a typo should not silently fall back to a default). */
  rejectUnknown(known: readonly string[]): void;
}

export function targetFields(
  name: string,
  settings: Record<string, unknown>,
  errors: string[],
): TargetFields {
  const fail = (field: string, message: string) => errors.push(`target "${name}": ${field}: ${message}`);
  const optionalString = (field: string): string | undefined => {
    const value = settings[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || value.trim() === '') {
      fail(field, 'expected a non-empty string');
      return undefined;
    }
    return value.trim();
  };
  const optionalUrl = (field: string): string | undefined => {
    const value = optionalString(field);
    if (value !== undefined && !isHttpUrl(value)) {
      fail(field, 'expected an absolute http(s) URL');
      return undefined;
    }
    return value;
  };
  const required =
    <T>(read: (field: string) => T | undefined) =>
    (field: string): T | undefined => {
      if (settings[field] === undefined || settings[field] === null) {
        fail(field, 'required');
        return undefined;
      }
      return read(field);
    };
  return {
    optionalString,
    string: required(optionalString),
    optionalUrl,
    url: required(optionalUrl),
    id: required((field) => {
      const value = settings[field];
      if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
      return optionalString(field);
    }),
    optionalInteger: (field, min, max) => {
      const value = settings[field];
      if (value === undefined || value === null) return undefined;
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
        fail(field, `expected a whole number from ${min} to ${max}`);
        return undefined;
      }
      return value;
    },
    optionalBoolean: (field) => {
      const value = settings[field];
      if (value === undefined || value === null) return undefined;
      if (typeof value !== 'boolean') {
        fail(field, 'expected true or false');
        return undefined;
      }
      return value;
    },
    rejectUnknown: (known) => {
      for (const field of Object.keys(settings)) {
        if (!known.includes(field)) fail(field, `unknown setting; expected one of ${known.join(', ')}`);
      }
    },
  };
}
