import type { parse } from '@bufbuild/cel';
import {
  BOOL,
  BYTES,
  type CelCheckType,
  DOUBLE,
  DURATION,
  DYN,
  INT,
  listOf,
  mapOf,
  NULL,
  STRING,
  TIMESTAMP,
  TYPE,
  typeText,
  UINT,
} from './cel-types.ts';

type ParsedExpr = ReturnType<typeof parse>;
type Expr = ParsedExpr['expr'];

class CheckError extends Error {}

const NUMERIC = new Set(['int', 'uint', 'double']);
const ORDERED = new Set(['int', 'uint', 'double', 'string', 'bytes', 'bool', 'timestamp', 'duration']);
const TIMESTAMP_GETTERS = new Set([
  'getFullYear',
  'getMonth',
  'getDayOfYear',
  'getDayOfMonth',
  'getDate',
  'getDayOfWeek',
  'getHours',
  'getMinutes',
  'getSeconds',
  'getMilliseconds',
]);

function isDyn(t: CelCheckType): boolean {
  return t.kind === 'dyn';
}

/** Whether a value of type `actual` may be used where `expected` is wanted. */
function assignable(expected: CelCheckType, actual: CelCheckType): boolean {
  if (isDyn(expected) || isDyn(actual)) return true;
  const e = expected.kind === 'record' ? mapOf(STRING, DYN) : expected;
  const a = actual.kind === 'record' ? mapOf(STRING, DYN) : actual;
  if (e.kind === 'list' && a.kind === 'list') return assignable(e.element, a.element);
  if (e.kind === 'map' && a.kind === 'map') return assignable(e.key, a.key) && assignable(e.value, a.value);
  return e.kind === a.kind;
}

/** The common type of two branches/elements: the type itself when equal, else dyn. */
function join(a: CelCheckType, b: CelCheckType): CelCheckType {
  if (isDyn(a) || isDyn(b)) return DYN;
  if (a.kind === 'list' && b.kind === 'list') return listOf(join(a.element, b.element));
  if (a.kind === 'map' && b.kind === 'map') return mapOf(join(a.key, b.key), join(a.value, b.value));
  if (a.kind === 'record' || b.kind === 'record') return a === b ? a : mapOf(STRING, DYN);
  return a.kind === b.kind ? a : DYN;
}

/**
 * Type-checks a parsed CEL expression against declared variables: undeclared
 * identifiers, unknown fields of the event, unknown functions and operator
 * arguments of the wrong type are errors. Anything typed `dyn` (values of
 * label maps read through index, results of dyn()) is checked at run time.
 * Returns the expression's type or a message (with the character offset).
 */
export function checkExpression(
  parsed: ParsedExpr,
  variables: Readonly<Record<string, CelCheckType>>,
  regexError: (pattern: string) => string | undefined = () => undefined,
): { type: CelCheckType } | { error: string } {
  const positions = parsed.sourceInfo?.positions ?? {};
  let scope: Map<string, CelCheckType>[] = [new Map(Object.entries(variables))];

  const fail = (expr: Expr, message: string): never => {
    const at = positions[String(expr.id)];
    throw new CheckError(at === undefined ? message : `${message} (at character ${at + 1})`);
  };

  const lookup = (name: string): CelCheckType | undefined => {
    for (let i = scope.length - 1; i >= 0; i--) {
      const found = scope[i]?.get(name);
      if (found) return found;
    }
    return undefined;
  };

  const field = (expr: Expr, operand: CelCheckType, name: string): CelCheckType => {
    switch (operand.kind) {
      case 'dyn':
        return DYN;
      case 'map':
        if (!assignable(operand.key, STRING))
          fail(expr, `map(${typeText(operand.key)}, …) has no field '${name}'`);
        return operand.value;
      case 'record': {
        const fieldType = operand.fields[name];
        if (fieldType === undefined)
          fail(
            expr,
            `undefined field '${name}' of ${operand.name} (it has: ${Object.keys(operand.fields).join(', ')})`,
          );
        return fieldType as CelCheckType;
      }
      default:
        return fail(expr, `type '${typeText(operand)}' has no fields (selecting '${name}')`);
    }
  };

  // A constant pattern is compiled now, so a typo is a status condition rather than an error per event.
  const constantPattern = (expr: Expr, patternExpr: Expr | undefined): void => {
    const kind = patternExpr?.exprKind;
    if (kind?.case !== 'constExpr' || kind.value.constantKind.case !== 'stringValue') return;
    const error = regexError(kind.value.constantKind.value);
    if (error !== undefined) fail(expr, `invalid regular expression in matches(): ${error}`);
  };

  const noOverload = (expr: Expr, name: string, args: CelCheckType[]): never =>
    fail(expr, `found no matching overload for '${name}' applied to (${args.map(typeText).join(', ')})`);

  const check = (expr: Expr): CelCheckType => {
    const kind = expr.exprKind;
    switch (kind.case) {
      case 'constExpr': {
        switch (kind.value.constantKind.case) {
          case 'boolValue':
            return BOOL;
          case 'int64Value':
            return INT;
          case 'uint64Value':
            return UINT;
          case 'doubleValue':
            return DOUBLE;
          case 'stringValue':
            return STRING;
          case 'bytesValue':
            return BYTES;
          case 'nullValue':
            return NULL;
          default:
            return DYN;
        }
      }
      case 'identExpr': {
        const type = lookup(kind.value.name);
        return type ?? fail(expr, `undeclared reference to '${kind.value.name}'`);
      }
      case 'selectExpr': {
        const operandExpr = kind.value.operand;
        if (!operandExpr) return fail(expr, 'selection without an operand');
        const fieldType = field(expr, check(operandExpr), kind.value.field);
        return kind.value.testOnly ? BOOL : fieldType;
      }
      case 'listExpr': {
        let element: CelCheckType | undefined;
        for (const item of kind.value.elements) {
          const t = check(item);
          element = element === undefined ? t : join(element, t);
        }
        return listOf(element ?? DYN);
      }
      case 'structExpr': {
        if (kind.value.messageName !== '')
          return fail(expr, `message construction (${kind.value.messageName}) is not supported`);
        let key: CelCheckType | undefined;
        let value: CelCheckType | undefined;
        for (const entry of kind.value.entries) {
          if (entry.keyKind.case !== 'mapKey') return fail(expr, 'a map literal needs keys');
          const k = check(entry.keyKind.value);
          const v = entry.value ? check(entry.value) : DYN;
          key = key === undefined ? k : join(key, k);
          value = value === undefined ? v : join(value, v);
        }
        return mapOf(key ?? DYN, value ?? DYN);
      }
      case 'comprehensionExpr': {
        const c = kind.value;
        if (!c.iterRange || !c.accuInit || !c.loopCondition || !c.loopStep || !c.result)
          return fail(expr, 'incomplete comprehension');
        const range = check(c.iterRange);
        let iter: CelCheckType;
        let iter2: CelCheckType = DYN;
        if (range.kind === 'list') {
          iter = c.iterVar2 ? INT : range.element;
          iter2 = range.element;
        } else if (range.kind === 'map') {
          iter = range.key;
          iter2 = range.value;
        } else if (range.kind === 'record') {
          iter = STRING;
        } else if (range.kind === 'dyn') {
          iter = DYN;
        } else {
          return fail(expr, `cannot iterate over '${typeText(range)}'`);
        }
        const accu = check(c.accuInit);
        const outer = scope;
        const frame = new Map<string, CelCheckType>([[c.iterVar, iter]]);
        if (c.iterVar2) frame.set(c.iterVar2, iter2);
        frame.set(c.accuVar, accu);
        scope = [...outer, frame];
        try {
          check(c.loopCondition);
          const step = check(c.loopStep);
          frame.set(c.accuVar, join(accu, step));
          return check(c.result);
        } finally {
          scope = outer;
        }
      }
      case 'callExpr': {
        const call = kind.value;
        const target = call.target ? check(call.target) : undefined;
        const args = call.args.map(check);
        return target === undefined
          ? globalCall(expr, call.function, args, call.args)
          : methodCall(expr, call.function, target, args, call.args);
      }
      default:
        return fail(expr, 'unsupported expression');
    }
  };

  const need = (expr: Expr, name: string, args: CelCheckType[], expected: CelCheckType[]): void => {
    if (args.length !== expected.length || args.some((a, i) => !assignable(expected[i] as CelCheckType, a)))
      noOverload(expr, name, args);
  };

  const globalCall = (expr: Expr, name: string, args: CelCheckType[], argExprs: Expr[]): CelCheckType => {
    const [a = DYN, b = DYN, c = DYN] = args;
    switch (name) {
      case '_&&_':
      case '_||_':
        need(expr, name, args, [BOOL, BOOL]);
        return BOOL;
      case '!_':
      case '@not_strictly_false':
        need(expr, name, args, [BOOL]);
        return BOOL;
      case '_?_:_':
        need(expr, name, [a], [BOOL]);
        return join(b, c);
      case '-_':
        if (!(isDyn(a) || a.kind === 'int' || a.kind === 'double' || a.kind === 'duration'))
          noOverload(expr, name, args);
        return a;
      case '_==_':
      case '_!=_':
        if (!comparableForEquality(a, b)) noOverload(expr, name, args);
        return BOOL;
      case '_<_':
      case '_<=_':
      case '_>_':
      case '_>=_':
        if (!isDyn(a) && !isDyn(b)) {
          const bothNumeric = NUMERIC.has(a.kind) && NUMERIC.has(b.kind);
          if (!bothNumeric && (a.kind !== b.kind || !ORDERED.has(a.kind))) noOverload(expr, name, args);
        }
        return BOOL;
      case '_+_':
        return arithmetic(expr, name, args, true);
      case '_-_':
      case '_*_':
      case '_/_':
      case '_%_':
        return arithmetic(expr, name, args, false);
      case '_[_]':
        return index(expr, a, b, argExprs[1]);
      case '@in':
        if (b.kind === 'list') {
          if (!assignable(b.element, a)) noOverload(expr, name, args);
        } else if (b.kind === 'map' || b.kind === 'record') {
          if (b.kind === 'map' && !assignable(b.key, a)) noOverload(expr, name, args);
        } else if (!isDyn(b)) noOverload(expr, name, args);
        return BOOL;
      case 'size':
        if (args.length !== 1 || !sizeable(a)) noOverload(expr, name, args);
        return INT;
      case 'matches':
        need(expr, name, args, [STRING, STRING]);
        constantPattern(expr, argExprs[1]);
        return BOOL;
      case 'int':
        if (args.length !== 1 || !['int', 'uint', 'double', 'string', 'timestamp', 'dyn'].includes(a.kind))
          noOverload(expr, name, args);
        return INT;
      case 'uint':
        if (args.length !== 1 || !['int', 'uint', 'double', 'string', 'dyn'].includes(a.kind))
          noOverload(expr, name, args);
        return UINT;
      case 'double':
        if (args.length !== 1 || !['int', 'uint', 'double', 'string', 'dyn'].includes(a.kind))
          noOverload(expr, name, args);
        return DOUBLE;
      case 'string':
        if (args.length !== 1 || a.kind === 'list' || a.kind === 'map' || a.kind === 'record')
          noOverload(expr, name, args);
        return STRING;
      case 'bytes':
        if (args.length !== 1 || !['bytes', 'string', 'dyn'].includes(a.kind)) noOverload(expr, name, args);
        return BYTES;
      case 'bool':
        if (args.length !== 1 || !['bool', 'string', 'dyn'].includes(a.kind)) noOverload(expr, name, args);
        return BOOL;
      case 'dyn':
        if (args.length !== 1) noOverload(expr, name, args);
        return DYN;
      case 'type':
        if (args.length !== 1) noOverload(expr, name, args);
        return TYPE;
      case 'timestamp':
        if (args.length !== 1 || !['string', 'int', 'timestamp', 'dyn'].includes(a.kind))
          noOverload(expr, name, args);
        return TIMESTAMP;
      case 'duration':
        if (args.length !== 1 || !['string', 'duration', 'dyn'].includes(a.kind))
          noOverload(expr, name, args);
        return DURATION;
      default:
        return fail(expr, `undeclared reference to function '${name}'`);
    }
  };

  const arithmetic = (expr: Expr, name: string, args: CelCheckType[], plus: boolean): CelCheckType => {
    const [a = DYN, b = DYN] = args;
    if (isDyn(a) || isDyn(b)) return isDyn(a) ? b : a;
    const k = `${a.kind},${b.kind}`;
    if (a.kind === b.kind && NUMERIC.has(a.kind)) {
      if (name === '_%_' && a.kind === 'double') noOverload(expr, name, args);
      return a;
    }
    if (plus) {
      if (a.kind === 'list' && b.kind === 'list') return join(a, b);
      if (k === 'string,string' || k === 'bytes,bytes') return a;
      if (k === 'timestamp,duration' || k === 'duration,timestamp') return TIMESTAMP;
      if (k === 'duration,duration') return DURATION;
    } else if (name === '_-_') {
      if (k === 'timestamp,timestamp' || k === 'duration,duration') return DURATION;
      if (k === 'timestamp,duration') return TIMESTAMP;
    }
    return noOverload(expr, name, args);
  };

  const index = (
    expr: Expr,
    container: CelCheckType,
    key: CelCheckType,
    keyExpr: Expr | undefined,
  ): CelCheckType => {
    switch (container.kind) {
      case 'dyn':
        return DYN;
      case 'list':
        if (!assignable(INT, key) && key.kind !== 'uint') noOverload(expr, '_[_]', [container, key]);
        return container.element;
      case 'map':
        if (!assignable(container.key, key)) noOverload(expr, '_[_]', [container, key]);
        return container.value;
      case 'record': {
        if (!assignable(STRING, key)) noOverload(expr, '_[_]', [container, key]);
        const constant =
          keyExpr?.exprKind.case === 'constExpr' ? keyExpr.exprKind.value.constantKind : undefined;
        return constant?.case === 'stringValue' ? field(expr, container, constant.value) : DYN;
      }
      default:
        return noOverload(expr, '_[_]', [container, key]);
    }
  };

  const methodCall = (
    expr: Expr,
    name: string,
    target: CelCheckType,
    args: CelCheckType[],
    argExprs: Expr[],
  ): CelCheckType => {
    const all = [target, ...args];
    if (name === 'matches') constantPattern(expr, argExprs[0]);
    if (name === 'size') {
      if (args.length !== 0 || !sizeable(target)) noOverload(expr, name, all);
      return INT;
    }
    if (TIMESTAMP_GETTERS.has(name)) {
      const ok =
        (target.kind === 'timestamp' || isDyn(target)) &&
        args.length <= 1 &&
        args.every((a) => assignable(STRING, a));
      const durationOk =
        target.kind === 'duration' &&
        args.length === 0 &&
        ['getHours', 'getMinutes', 'getSeconds', 'getMilliseconds'].includes(name);
      if (!ok && !durationOk) noOverload(expr, name, all);
      return INT;
    }
    const onString = (params: CelCheckType[][], result: CelCheckType): CelCheckType => {
      const fits = params.some(
        (p) => p.length === args.length && args.every((a, i) => assignable(p[i] as CelCheckType, a)),
      );
      if (!assignable(STRING, target) || !fits) noOverload(expr, name, all);
      return result;
    };
    switch (name) {
      case 'contains':
      case 'startsWith':
      case 'endsWith':
      case 'matches':
        return onString([[STRING]], BOOL);
      case 'charAt':
        return onString([[INT]], STRING);
      case 'indexOf':
      case 'lastIndexOf':
        return onString([[STRING], [STRING, INT]], INT);
      case 'lowerAscii':
      case 'upperAscii':
      case 'trim':
        return onString([[]], STRING);
      case 'replace':
        return onString(
          [
            [STRING, STRING],
            [STRING, STRING, INT],
          ],
          STRING,
        );
      case 'split':
        return onString([[STRING], [STRING, INT]], listOf(STRING));
      case 'substring':
        return onString([[INT], [INT, INT]], STRING);
      case 'format':
        return onString([[listOf(DYN)]], STRING);
      case 'join':
        if (
          !assignable(listOf(STRING), target) ||
          args.length > 1 ||
          !args.every((a) => assignable(STRING, a))
        )
          noOverload(expr, name, all);
        return STRING;
      default:
        return fail(expr, `undeclared reference to function '${name}'`);
    }
  };

  try {
    return { type: check(parsed.expr) };
  } catch (error) {
    if (error instanceof CheckError) return { error: error.message };
    throw error;
  }
}

function sizeable(t: CelCheckType): boolean {
  return ['string', 'bytes', 'list', 'map', 'record', 'dyn'].includes(t.kind);
}

/** CEL compares numbers across int/uint/double; other kinds only with themselves (null with anything). */
function comparableForEquality(a: CelCheckType, b: CelCheckType): boolean {
  if (isDyn(a) || isDyn(b) || a.kind === 'null' || b.kind === 'null') return true;
  if (NUMERIC.has(a.kind) && NUMERIC.has(b.kind)) return true;
  return assignable(a, b) || assignable(b, a);
}
