// tradelane/runtime/mapping: the helper library that compiled mappings (generated/mappings/*.ts, emitted
// by compiler/emit/jsonata) import. Everything here reproduces the JSONata 2.x interpreter's semantics
// exactly; the compiler's differential tests (test/mapping) hold it to that.
//
// Generated code reads plain JSON input (objects, arrays, strings, numbers, booleans, null) and throws
// `MappingError` (JSONata's error codes) when the data does not suit the expression; it never evaluates
// text at runtime.
import { fail } from "./internal/errors.ts"
import {
  callBuiltin,
  formatString,
  fromMillis,
  round,
  substring,
  substringAfter,
  substringBefore,
  toMillis,
  toNumber,
  trim
} from "./internal/builtins.ts"
import { deepEqual, isNumeric, toBoolean } from "./internal/values.ts"

export { MappingError } from "./internal/errors.ts"
export { BUILTINS, callBuiltin as call } from "./internal/builtins.ts"
export {
  append,
  defineField,
  deepEqual,
  groupContext,
  indexItem,
  isCons,
  isKeep,
  isRec,
  keepResult,
  lastOne,
  lookupIn,
  namesPath,
  markCons,
  normalize,
  own,
  predicateMatch,
  pushMatches,
  stepAcc,
  stepItems,
  toBoolean,
  truthy,
  type Rec
} from "./internal/values.ts"

// ---------------------------------------------------------------------------------------------------
// Operators

const finite = (v: unknown): v is number => typeof v === "number" && v - v === 0

const arith = (op: string, l: unknown, r: unknown): number | undefined => {
  if (l !== undefined && !isNumeric(l)) return fail("T2001")
  if (r !== undefined && !isNumeric(r)) return fail("T2002")
  if (l === undefined || r === undefined) return undefined
  switch (op) {
    case "+":
      return l + r
    case "-":
      return l - r
    case "*":
      return l * r
    case "/":
      return l / r
    default:
      return l % r
  }
}

export const add = (l: unknown, r: unknown): number | undefined => (finite(l) && finite(r) ? l + r : arith("+", l, r))
export const sub = (l: unknown, r: unknown): number | undefined => (finite(l) && finite(r) ? l - r : arith("-", l, r))
export const mul = (l: unknown, r: unknown): number | undefined => (finite(l) && finite(r) ? l * r : arith("*", l, r))
export const div = (l: unknown, r: unknown): number | undefined => (finite(l) && finite(r) ? l / r : arith("/", l, r))
export const mod = (l: unknown, r: unknown): number | undefined => (finite(l) && finite(r) ? l % r : arith("%", l, r))

const comparable = (v: unknown): boolean => v === undefined || typeof v === "string" || typeof v === "number"

const compare = (op: string, l: unknown, r: unknown): boolean | undefined => {
  if (!comparable(l) || !comparable(r)) return fail("T2010")
  if (l === undefined || r === undefined) return undefined
  if (typeof l !== typeof r) return fail("T2009")
  const a = l as string | number
  const b = r as string | number
  switch (op) {
    case "<":
      return a < b
    case "<=":
      return a <= b
    case ">":
      return a > b
    default:
      return a >= b
  }
}

const sameKind = (l: unknown, r: unknown): boolean =>
  (typeof l === "number" && typeof r === "number") || (typeof l === "string" && typeof r === "string")

export const lt = (l: unknown, r: unknown): boolean | undefined => (sameKind(l, r) ? (l as number) < (r as number) : compare("<", l, r))
export const le = (l: unknown, r: unknown): boolean | undefined => (sameKind(l, r) ? (l as number) <= (r as number) : compare("<=", l, r))
export const gt = (l: unknown, r: unknown): boolean | undefined => (sameKind(l, r) ? (l as number) > (r as number) : compare(">", l, r))
export const ge = (l: unknown, r: unknown): boolean | undefined => (sameKind(l, r) ? (l as number) >= (r as number) : compare(">=", l, r))

export const eq = (l: unknown, r: unknown): boolean => l !== undefined && r !== undefined && (l === r || deepEqual(l, r))
export const ne = (l: unknown, r: unknown): boolean => l !== undefined && r !== undefined && !(l === r || deepEqual(l, r))

/** `l in r`. */
export const includes = (l: unknown, r: unknown): boolean => {
  if (l === undefined || r === undefined) return false
  if (!Array.isArray(r)) return r === l
  for (let i = 0; i < r.length; i++) if (r[i] === l) return true
  return false
}

/** `l & r`: string concatenation with `$string` casting; undefined contributes nothing. */
export const cat = (l: unknown, r: unknown): string => {
  const a = typeof l === "string" ? l : l === undefined ? "" : (formatString(l) as string)
  const b = typeof r === "string" ? r : r === undefined ? "" : (formatString(r) as string)
  return a + b
}

/** Unary minus. */
export const neg = (v: unknown): number | undefined => {
  if (v === undefined) return undefined
  if (isNumeric(v)) return -v
  return fail("D1002")
}

/** `[l..r]` inside an array constructor. */
export const range = (l: unknown, r: unknown): number[] | undefined => {
  if (l !== undefined && !Number.isInteger(l)) return fail("T2003")
  if (r !== undefined && !Number.isInteger(r)) return fail("T2004")
  if (l === undefined || r === undefined) return undefined
  const lo = l as number
  const hi = r as number
  if (lo > hi) return undefined
  const size = hi - lo + 1
  if (size > 1e7) return fail("D2014")
  const out = new Array<number>(size)
  for (let i = 0; i < size; i++) out[i] = lo + i
  return out
}

/** Adds an array-constructor item: arrays are spliced in (JSONata `fn.append`), undefined is skipped. */
export const pushItem = (out: unknown[], v: unknown): void => {
  if (v === undefined) return
  if (Array.isArray(v)) for (let i = 0; i < v.length; i++) out.push(v[i])
  else out.push(v)
}

// ---------------------------------------------------------------------------------------------------
// Built-ins: fast paths named <name><argument count>. Each handles the argument types a signature
// accepts positionally and defers everything else (context substitution, errors) to `call`.

const isStr = (v: unknown): v is string => typeof v === "string"
const isNum = (v: unknown): v is number => typeof v === "number"
const allOf = (v: unknown[], test: (x: unknown) => boolean): boolean => {
  for (let i = 0; i < v.length; i++) if (!test(v[i])) return false
  return true
}

export const number1 = (ctx: unknown, a: unknown): unknown =>
  isNum(a) || a === undefined || isStr(a) || typeof a === "boolean" ? toNumber(a) : callBuiltin("number", ctx, [a])
export const string1 = (_ctx: unknown, a: unknown): unknown => (isStr(a) ? a : formatString(a))
export const uppercase1 = (ctx: unknown, a: unknown): unknown =>
  isStr(a) ? a.toUpperCase() : a === undefined ? undefined : callBuiltin("uppercase", ctx, [a])
export const lowercase1 = (ctx: unknown, a: unknown): unknown =>
  isStr(a) ? a.toLowerCase() : a === undefined ? undefined : callBuiltin("lowercase", ctx, [a])
export const trim1 = (ctx: unknown, a: unknown): unknown => (isStr(a) ? trim(a) : a === undefined ? undefined : callBuiltin("trim", ctx, [a]))
export const substring2 = (ctx: unknown, s: unknown, start: unknown): unknown =>
  isStr(s) && isNum(start) ? substring(s, start) : callBuiltin("substring", ctx, [s, start])
export const substring3 = (ctx: unknown, s: unknown, start: unknown, length: unknown): unknown =>
  isStr(s) && isNum(start) && isNum(length) ? substring(s, start, length) : callBuiltin("substring", ctx, [s, start, length])
export const substringBefore2 = (ctx: unknown, s: unknown, t: unknown): unknown =>
  isStr(s) && isStr(t) ? substringBefore(s, t) : callBuiltin("substringBefore", ctx, [s, t])
export const substringAfter2 = (ctx: unknown, s: unknown, t: unknown): unknown =>
  isStr(s) && isStr(t) ? substringAfter(s, t) : callBuiltin("substringAfter", ctx, [s, t])
export const contains2 = (ctx: unknown, s: unknown, t: unknown): unknown =>
  isStr(s) && isStr(t) ? s.indexOf(t) !== -1 : callBuiltin("contains", ctx, [s, t])
export const join1 = (ctx: unknown, a: unknown): unknown =>
  Array.isArray(a) && allOf(a, isStr) ? a.join("") : callBuiltin("join", ctx, [a])
export const join2 = (ctx: unknown, a: unknown, sep: unknown): unknown =>
  Array.isArray(a) && isStr(sep) && allOf(a, isStr) ? a.join(sep) : callBuiltin("join", ctx, [a, sep])
export const round1 = (ctx: unknown, a: unknown): unknown => (isNum(a) ? round(a) : callBuiltin("round", ctx, [a]))
export const round2 = (ctx: unknown, a: unknown, p: unknown): unknown => (isNum(a) && isNum(p) ? round(a, p) : callBuiltin("round", ctx, [a, p]))
export const abs1 = (ctx: unknown, a: unknown): unknown => (isNum(a) ? Math.abs(a) : callBuiltin("abs", ctx, [a]))
export const floor1 = (ctx: unknown, a: unknown): unknown => (isNum(a) ? Math.floor(a) : callBuiltin("floor", ctx, [a]))
export const ceil1 = (ctx: unknown, a: unknown): unknown => (isNum(a) ? Math.ceil(a) : callBuiltin("ceil", ctx, [a]))
export const exists1 = (_ctx: unknown, a: unknown): boolean => a !== undefined
export const count1 = (_ctx: unknown, a: unknown): number => (a === undefined ? 0 : Array.isArray(a) ? a.length : 1)
export const sum1 = (ctx: unknown, a: unknown): unknown => {
  if (Array.isArray(a) && allOf(a, isNum)) {
    let total = 0
    for (let i = 0; i < a.length; i++) total += a[i] as number
    return total
  }
  return isNum(a) ? a : a === undefined ? undefined : callBuiltin("sum", ctx, [a])
}
export const boolean1 = (_ctx: unknown, a: unknown): unknown => toBoolean(a)
export const not1 = (_ctx: unknown, a: unknown): unknown => (a === undefined ? undefined : !toBoolean(a))
export const toMillis1 = (ctx: unknown, a: unknown): unknown => (isStr(a) ? toMillis(a) : callBuiltin("toMillis", ctx, [a]))
export const fromMillis1 = (ctx: unknown, a: unknown): unknown => (isNum(a) ? fromMillis(a) : callBuiltin("fromMillis", ctx, [a]))

/** Names of the fast paths above, `<name><argc>`; the compiler only emits calls to these or to `call`. */
export const FAST_PATHS: ReadonlyArray<string> = [
  "abs1",
  "boolean1",
  "ceil1",
  "contains2",
  "count1",
  "exists1",
  "floor1",
  "fromMillis1",
  "join1",
  "join2",
  "lowercase1",
  "not1",
  "number1",
  "round1",
  "round2",
  "string1",
  "substring2",
  "substring3",
  "substringAfter2",
  "substringBefore2",
  "sum1",
  "toMillis1",
  "trim1",
  "uppercase1"
]

// ---------------------------------------------------------------------------------------------------
// Higher-order functions over compiled lambdas. A compiled lambda takes the caller's context first (the
// context of a tail call in its body: JSONata invokes $map/$filter callbacks with a null one), then
// (value, index, array); parameters it does not declare are ignored, as in JSONata.

type Lambda = (tailContext: unknown, value: unknown, index: number, array: unknown[]) => unknown

const hofInput = (arr: unknown): unknown[] | undefined => (arr === undefined ? undefined : Array.isArray(arr) ? arr : [arr])

export const map = (arr: unknown, f: Lambda): unknown => {
  const input = hofInput(arr)
  if (input === undefined) return undefined
  const out: unknown[] = []
  for (let i = 0; i < input.length; i++) {
    const res = f(null, input[i], i, input)
    if (res !== undefined) out.push(res)
  }
  return out.length === 0 ? undefined : out.length === 1 ? out[0] : out
}

export const filter = (arr: unknown, f: Lambda): unknown => {
  const input = hofInput(arr)
  if (input === undefined) return undefined
  const out: unknown[] = []
  for (let i = 0; i < input.length; i++) if (toBoolean(f(null, input[i], i, input)) === true) out.push(input[i])
  return out.length === 0 ? undefined : out.length === 1 ? out[0] : out
}

// ---------------------------------------------------------------------------------------------------
// Lookup tables (crosswalks declared in the Mapping spec): `$lookup('uom', key[, default])`.

/** A lookup table: built once per module from the spec's entries. */
export type Table = ReadonlyMap<string, unknown>

export const table = (entries: ReadonlyArray<readonly [string, string | number | boolean]>): Table => new Map(entries)

/**
 * `$lookup(table, key[, default])`: a string key is looked up as is, a number by its `$string` form and a
 * boolean as `true`/`false`; a missing entry or any other key (undefined, null, object, array) gives the
 * default (undefined when absent). The interpreter side of the differential test registers this same
 * function, so both sides agree by construction.
 */
export const lookupTable = (t: Table, key: unknown, dflt?: unknown): unknown => {
  const k =
    typeof key === "string"
      ? key
      : typeof key === "number" && Number.isFinite(key)
        ? formatString(key)
        : typeof key === "boolean"
          ? String(key)
          : undefined
  return k !== undefined && t.has(k) ? t.get(k) : dflt
}
