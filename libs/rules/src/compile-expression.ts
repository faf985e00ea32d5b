import { type CelInput, CelScalar, celEnv, isCelError, mapType, parse, plan, run } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import type { KubeEvent__Output } from '@k8slistener/proto';
import { checkExpression } from './cel-check.ts';
import { EVENT_TYPE, typeText } from './cel-types.ts';
import { type CelEventView, celEventView } from './event-view.ts';

/** Longest expression accepted; the CRD schema has the same limit. */
export const MAX_EXPRESSION_LENGTH = 4096;

// The event is a plain CEL map at run time; cel-check.ts knows its keys.
const EVENT_VARIABLE = mapType(CelScalar.STRING, CelScalar.DYN);
const ENV = celEnv({ variables: { event: EVENT_VARIABLE }, funcs: strings });

// Many rules' expressions see the same event: build its CEL view once per event object.
const views = new WeakMap<KubeEvent__Output, CelEventView>();

function viewOf(event: KubeEvent__Output): CelEventView {
  let view = views.get(event);
  if (view === undefined) {
    view = celEventView(event);
    views.set(event, view);
  }
  return view;
}

export type ExpressionProgram = (event: KubeEvent__Output) => boolean | Error;

/**
 * Parses, type-checks and plans a rule's CEL expression over the variable
 * `event`. The result must be a bool. The program never throws: an
 * evaluation error (a missing map key, a bad regex in matches(), a non-bool
 * from a dyn value) is returned as an Error, and the caller counts it as no match.
 */
export function compileExpression(source: string): { program: ExpressionProgram } | { error: string } {
  if (source.trim() === '') return { error: 'must not be empty (leave it out to match every event)' };
  if (source.length > MAX_EXPRESSION_LENGTH)
    return { error: `is ${source.length} characters long; at most ${MAX_EXPRESSION_LENGTH} are allowed` };
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(source);
  } catch (error) {
    return { error: `does not parse: ${error instanceof Error ? error.message : String(error)}` };
  }
  const checked = checkExpression(parsed, { event: EVENT_TYPE }, re2Error);
  if ('error' in checked) return { error: `does not type-check: ${checked.error}` };
  if (checked.type.kind !== 'bool' && checked.type.kind !== 'dyn')
    return { error: `must return bool, not ${typeText(checked.type)}` };
  const evaluate = plan(ENV, parsed);
  return {
    program: (event) => {
      try {
        const result = // The view is plain data (strings, bigints, string lists and maps); TS cannot see interfaces as maps.
          evaluate({ event: viewOf(event) as unknown as CelInput<typeof EVENT_VARIABLE> });
        if (isCelError(result)) return result;
        if (typeof result !== 'boolean') return new Error(`expression returned a non-bool value`);
        return result;
      } catch (error) {
        // The evaluator promises not to throw; this keeps a library bug from stopping the listener.
        return error instanceof Error ? error : new Error(String(error));
      }
    },
  };
}

/** Why CEL's RE2 engine refuses `pattern`, or undefined. */
function re2Error(pattern: string): string | undefined {
  const result = run("''.matches(pattern)", { pattern });
  return isCelError(result) ? result.message : undefined;
}
