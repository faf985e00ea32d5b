import type { CompileResult } from './rule-types.ts';

/** metav1.Condition.message allows this many characters. */
export const MAX_CONDITION_MESSAGE_LENGTH = 32768;

export interface ReadyCondition {
  type: 'Ready';
  status: 'True' | 'False';
  /** "Valid", or "InvalidRule" when compileRule refused it. */
  reason: 'Valid' | 'InvalidRule';
  message: string;
  observedGeneration: number;
  /** RFC 3339, seconds precision, as metav1.Time serialises. */
  lastTransitionTime: string;
}

/**
 * The rule's `Ready` condition for status.conditions. `previous` (the
 * condition currently in the status) keeps lastTransitionTime when the status
 * did not change, as Kubernetes conventions ask.
 */
export function readyCondition(
  result: CompileResult,
  generation: number,
  now: Date,
  previous?: { status?: string; lastTransitionTime?: string },
): ReadyCondition {
  const status = result.ok ? 'True' : 'False';
  const message = result.ok
    ? `valid; delivers to ${result.rule.destinations.map((d) => `${d.type}/${d.target}`).join(', ')}`
    : result.errors
        .map((error) => (error.field ? `${error.field}: ${error.message}` : error.message))
        .join('; ');
  const lastTransitionTime =
    previous?.status === status && previous.lastTransitionTime
      ? previous.lastTransitionTime
      : now.toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    type: 'Ready',
    status,
    reason: result.ok ? 'Valid' : 'InvalidRule',
    message:
      message.length > MAX_CONDITION_MESSAGE_LENGTH
        ? `${message.slice(0, MAX_CONDITION_MESSAGE_LENGTH - 1)}…`
        : message,
    observedGeneration: generation,
    lastTransitionTime,
  };
}
