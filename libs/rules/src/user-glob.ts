/**
 * User patterns of spec.match.users: an exact username, or a glob where `*`
 * stands for any run of characters (including none), e.g. `*@org.com` or
 * `system:serviceaccount:ci:*`. `*` is the only wildcard; `?` and `[` are
 * refused rather than taken literally, so nobody writes a shell glob that
 * silently never matches.
 */
export function userPatternError(pattern: string): string | undefined {
  if (pattern.trim() === '') return 'must not be empty';
  if (/[?[\]]/.test(pattern)) return `"${pattern}": only "*" is a wildcard; "?", "[" and "]" are not allowed`;
  if (/\s/.test(pattern)) return `"${pattern}": usernames contain no whitespace`;
  return undefined;
}

/** A predicate over usernames for a list of valid patterns (see userPatternError). */
export function compileUserPatterns(patterns: readonly string[]): (username: string) => boolean {
  const exact = new Set<string>();
  const globs: ((username: string) => boolean)[] = [];
  for (const pattern of patterns) {
    if (pattern.includes('*')) globs.push(compileGlob(pattern));
    else exact.add(pattern);
  }
  return (username) => exact.has(username) || globs.some((glob) => glob(username));
}

function compileGlob(pattern: string): (text: string) => boolean {
  const parts = pattern.split('*');
  const first = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  const middle = parts.slice(1, -1).filter((part) => part !== '');
  const minLength = first.length + last.length;
  return (text) => {
    if (text.length < minLength || !text.startsWith(first) || !text.endsWith(last)) return false;
    // Greedy left-to-right search of the middle parts is exact for `*`-only globs.
    let at = first.length;
    const end = text.length - last.length;
    for (const part of middle) {
      const found = text.indexOf(part, at);
      if (found === -1 || found + part.length > end) return false;
      at = found + part.length;
    }
    return true;
  };
}
