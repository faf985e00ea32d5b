import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** A target name as rules write it: lower-case letters, digits, '-', '_', '.'; 1 to 63 characters. */
export const TARGET_NAME_PATTERN = /^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$/;

export type Parsed<T> = { value: T } | { errors: string[] };

/**
 * The raw targets document: the YAML or JSON file named by TARGETS_FILE (a
 * mounted Secret), or inline YAML in TARGETS. Exactly one must be set. The
 * document's content is not echoed in errors: it holds secrets.
 */
export function readTargetsSource(
  env: NodeJS.ProcessEnv,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): Parsed<unknown> {
  const file = env.TARGETS_FILE;
  const inline = env.TARGETS;
  if (file && inline) return { errors: ['set either TARGETS_FILE or TARGETS, not both'] };
  if (!file && !inline) {
    return {
      errors: ['no targets: set TARGETS_FILE to a YAML/JSON file (a mounted Secret) or TARGETS to YAML'],
    };
  }
  let text: string;
  const setting = file ? 'TARGETS_FILE' : 'TARGETS';
  if (file) {
    try {
      text = readFile(file);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      return { errors: [`TARGETS_FILE: cannot read ${file}${typeof code === 'string' ? ` (${code})` : ''}`] };
    }
  } else {
    text = inline ?? '';
  }
  try {
    return { value: parse(text) as unknown };
  } catch (error) {
    // yaml's messages quote the offending line, which may hold a secret: keep the position only.
    const linePos = (error as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    const where = linePos ? ` at line ${linePos.line}, column ${linePos.col}` : '';
    return { errors: [`${setting}: not valid YAML${where}`] };
  }
}

/**
 * Splits a targets document into named entries: a mapping of target name →
 * that target's settings (a mapping). Each entry's settings are then checked
 * by the plugin. Errors name the target.
 */
export function targetEntries(raw: unknown): Parsed<[string, Record<string, unknown>][]> {
  if (!isRecord(raw)) {
    return { errors: ['targets: expected a mapping of target name to its settings'] };
  }
  const errors: string[] = [];
  const entries: [string, Record<string, unknown>][] = [];
  for (const [name, settings] of Object.entries(raw)) {
    if (!TARGET_NAME_PATTERN.test(name)) {
      errors.push(
        `target "${name}": name must be 1-63 lower-case letters, digits, '-', '_' or '.', starting and ending with a letter or digit`,
      );
    } else if (!isRecord(settings)) {
      errors.push(`target "${name}": expected a mapping of settings`);
    } else {
      entries.push([name, settings]);
    }
  }
  if (entries.length === 0 && errors.length === 0) errors.push('targets: none configured');
  return errors.length > 0 ? { errors } : { value: entries };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
