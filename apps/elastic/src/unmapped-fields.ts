import type { FieldMapping } from './index-template.ts';

/**
 * Dotted paths of the document's fields that the schema does not map, e.g.
 * `event.severity`. The template's `dynamic: false` keeps them in _source
 * without indexing them; the plugin logs them so that a schema drift between
 * listener and plugin is seen rather than silent. Fields whose value has the
 * wrong shape for their mapping are not listed: the server rejects those.
 */
export function unmappedFields(
  document: Record<string, unknown>,
  properties: Record<string, FieldMapping>,
  path = '',
): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries(document)) {
    const field = `${path}${name}`;
    const mapping = properties[name];
    if (mapping === undefined) {
      found.push(field);
    } else if ('properties' in mapping) {
      for (const element of Array.isArray(value) ? value : [value]) {
        if (typeof element === 'object' && element !== null && !Array.isArray(element)) {
          found.push(...unmappedFields(element as Record<string, unknown>, mapping.properties, `${field}.`));
        }
      }
    }
  }
  return [...new Set(found)];
}
