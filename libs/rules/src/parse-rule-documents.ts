import { parseAllDocuments } from 'yaml';
import { compileRule } from './compile-rule.ts';
import type { CompiledRule, FieldError } from './rule-types.ts';

export interface DocumentErrors {
  /** 1-based position of the document in the file. */
  document: number;
  /** metadata.name, when the document has one. */
  name?: string;
  errors: FieldError[];
}

/**
 * Reads a multi-document YAML file of rules (for `explain` and other offline
 * use) and compiles each document. Empty documents are skipped; a document
 * that is not valid YAML or not a valid rule is reported and the others are
 * still compiled.
 */
export function parseRuleDocuments(yamlText: string): { rules: CompiledRule[]; errors: DocumentErrors[] } {
  const rules: CompiledRule[] = [];
  const errors: DocumentErrors[] = [];
  parseAllDocuments(yamlText).forEach((doc, i) => {
    const document = i + 1;
    if (doc.errors.length > 0) {
      errors.push({ document, errors: doc.errors.map((e) => ({ field: '', message: e.message })) });
      return;
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return;
    const result = compileRule(value);
    if (result.ok) {
      rules.push(result.rule);
      return;
    }
    const metadata = (value as { metadata?: { name?: unknown } }).metadata;
    const name = typeof metadata?.name === 'string' ? metadata.name : undefined;
    errors.push(
      name === undefined ? { document, errors: result.errors } : { document, name, errors: result.errors },
    );
  });
  return { rules, errors };
}
