// Value model shared by generated mappings. Values are plain JSON values. JSONata's "sequences" are
// plain arrays here: a sequence of 0 or 1 items never escapes an expression (it is normalised to
// `undefined` or the item), and a sequence of 2+ items behaves exactly like an array everywhere the
// interpreter looks, so only two rare kinds need a runtime tag: arrays built by an array constructor
// at the start or end of a path (`cons`: never flattened by a step) and `x[]` results (`keep`: a
// singleton sequence that must stay an array).
import { fail } from "./errors.ts"

export type Rec = Record<string, unknown>

const CONS: unique symbol = Symbol.for("tradelane.mapping.cons")
const KEEP: unique symbol = Symbol.for("tradelane.mapping.keep")
type Tagged = unknown[] & { [CONS]?: true; [KEEP]?: true }

const hasOwn = Object.prototype.hasOwnProperty

/** A JSON object (not an array, not null). */
export const isRec = (v: unknown): v is Rec => typeof v === "object" && v !== null && !Array.isArray(v)

export const isCons = (v: unknown[]): boolean => (v as Tagged)[CONS] === true
export const isKeep = (v: unknown[]): boolean => (v as Tagged)[KEEP] === true

export const markCons = (v: unknown[]): unknown[] => {
  ;(v as Tagged)[CONS] = true
  return v
}
export const markKeep = (v: unknown[]): unknown[] => {
  ;(v as Tagged)[KEEP] = true
  return v
}

/** Own-property read; used for keys that Object.prototype also defines (`constructor`, `__proto__`, ...). */
export const own = (o: Rec, key: string): unknown => (hasOwn.call(o, key) ? o[key] : undefined)

/** Writes an output field as an own, enumerable data property, whatever the key (`__proto__` included). */
export const defineField = (o: Rec, key: string, value: unknown): void => {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true })
}

/** Normalises a fresh sequence: empty -> undefined, one item -> the item. */
export const normalize = (seq: unknown[]): unknown => (seq.length === 0 ? undefined : seq.length === 1 ? seq[0] : seq)

/** JSONata `fn.lookup` on a non-object: arrays map (flattening one level), scalars give undefined. */
export const lookupIn = (input: unknown, key: string): unknown => {
  if (Array.isArray(input)) {
    const out: unknown[] = []
    lookupArray(input, key, out)
    return normalize(out)
  }
  return isRec(input) ? own(input, key) : undefined
}

const lookupArray = (input: unknown[], key: string, out: unknown[]): void => {
  for (let i = 0; i < input.length; i++) {
    const item = input[i]
    let res: unknown
    if (Array.isArray(item)) {
      const inner: unknown[] = []
      lookupArray(item, key, inner)
      res = inner.length === 0 ? undefined : inner
    } else if (isRec(item)) {
      res = own(item, key)
    }
    if (res === undefined) continue
    if (Array.isArray(res)) for (let j = 0; j < res.length; j++) out.push(res[j])
    else out.push(res)
  }
}

/**
 * Folds one step result into a path's running result (JSONata `evaluateStep`): the first result is held
 * as is; from the second on, all results are flattened one level (cons arrays excepted) into `acc`.
 */
export const stepAcc = (acc: unknown[] | undefined, first: unknown, next: unknown): unknown[] => {
  let out = acc
  if (out === undefined) {
    out = []
    flatInto(out, first)
  }
  flatInto(out, next)
  return out
}

const flatInto = (out: unknown[], r: unknown): void => {
  if (r === undefined) return
  if (Array.isArray(r) && !isCons(r)) for (let i = 0; i < r.length; i++) out.push(r[i])
  else out.push(r)
}

/** The items a single held step result contributes to the next step, or undefined for "just itself". */
export const stepItems = (one: unknown): unknown[] | undefined => (Array.isArray(one) && !isCons(one) ? one : undefined)

/** Result of a path whose last step produced exactly one result (raw arrays are returned untouched). */
export const lastOne = (one: unknown): unknown => (Array.isArray(one) && isKeep(one) ? normalize(one) : one)

/**
 * Result of a path with `[]` (keepSingletonArray), given the last step's result count `n`, its first
 * result and the flattened results; `filtered` when that step ends with a boolean predicate.
 */
export const keepResult = (n: number, one: unknown, acc: unknown[] | undefined, filtered: boolean): unknown => {
  if (n === 0) return undefined
  let seq: unknown[]
  if (n === 1) {
    if (one === undefined) return undefined
    if (Array.isArray(one) && !filtered && !isKeep(one)) {
      if (!isCons(one)) return one
      seq = [one]
    } else if (Array.isArray(one)) {
      seq = one.slice()
    } else {
      seq = [one]
    }
  } else {
    seq = acc ?? []
  }
  return seq.length === 0 ? undefined : markKeep(seq)
}

/** JSONata `fn.append`. */
export const append = (a: unknown, b: unknown): unknown => {
  if (a === undefined) return b
  if (b === undefined) return a
  const left = Array.isArray(a) ? a : [a]
  const right = Array.isArray(b) ? b : [b]
  return left.concat(right)
}

/** Context of an object constructor with literal keys (JSONata `evaluateGroupExpression`). */
export const groupContext = (input: unknown): unknown => {
  if (!Array.isArray(input)) return input
  if (input.length === 0) return undefined
  let data: unknown = input[0]
  for (let i = 1; i < input.length; i++) data = append(data, input[i])
  return data
}

/** Rest of a names-only path from step `from`, given the value `start` (the context when `from` is 0). */
export const namesPath = (start: unknown, keys: ReadonlyArray<string>, from: number): unknown => {
  let items: unknown[] | undefined
  let single: unknown = start
  if (from === 0) {
    if (Array.isArray(start)) items = start
  } else {
    items = stepItems(start)
  }
  let n = 1
  let one: unknown = start
  let acc: unknown[] | undefined
  for (let s = from; s < keys.length; s++) {
    const key = keys[s] as string
    const len = items !== undefined ? items.length : single === undefined ? 0 : 1
    n = 0
    one = undefined
    acc = undefined
    for (let i = 0; i < len; i++) {
      const x = items !== undefined ? items[i] : single
      const r = isRec(x) ? own(x, key) : lookupIn(x, key)
      if (r === undefined) continue
      if (n === 0) one = r
      else acc = stepAcc(acc, one, r)
      n++
    }
    if (n === 0) return undefined
    items = acc ?? stepItems(one)
    single = one
  }
  return n === 1 ? lastOne(one) : normalize(acc as unknown[])
}

/** Numeric-literal predicate `[n]` (JSONata `evaluateFilter` with a number). */
export const indexItem = (input: unknown, n: number): unknown => {
  const seq = Array.isArray(input) ? input : [input]
  let index = Math.floor(n)
  if (index < 0) index = seq.length + index
  return seq[index]
}

/**
 * Keeps item `index` of `length` in a filter's result as JSONata does for a computed predicate value:
 * a number (or array of numbers) selects by position, once per matching position; anything else by its
 * boolean value.
 */
export const pushMatches = (out: unknown[], p: unknown, item: unknown, index: number, length: number): void => {
  if (isNumeric(p)) {
    if (position(p, length) === index) out.push(item)
    return
  }
  if (Array.isArray(p) && p.every(isNumeric)) {
    for (let i = 0; i < p.length; i++) if (position(p[i] as number, length) === index) out.push(item)
    return
  }
  if (toBoolean(p) === true) out.push(item)
}

/**
 * @deprecated Emitted by the first version of the compiler, which kept a matching item once even when
 * a numeric-array predicate selects its position twice (`a[[0, 0]]`). Kept so modules generated by it
 * still type-check until they are regenerated; new code uses `pushMatches`.
 */
export const predicateMatch = (p: unknown, index: number, length: number): boolean => {
  const probe: unknown[] = []
  pushMatches(probe, p, true, index, length)
  return probe.length > 0
}

const position = (n: number, length: number): number => {
  const i = Math.floor(n)
  return i < 0 ? length + i : i
}

/** JSONata `isNumeric`: a non-NaN number; infinite numbers are an error. */
export const isNumeric = (n: unknown): n is number => {
  if (typeof n !== "number") return false
  if (Number.isNaN(n)) return false
  if (!Number.isFinite(n)) fail("D1001")
  return true
}

/** JSONata `fn.boolean` (undefined stays undefined). */
export const toBoolean = (arg: unknown): boolean | undefined => {
  if (arg === undefined) return undefined
  if (typeof arg === "boolean") return arg
  if (typeof arg === "string") return arg.length > 0
  if (typeof arg === "number") return isNumeric(arg) && arg !== 0
  if (Array.isArray(arg)) {
    if (arg.length === 1) return toBoolean(arg[0]) === true
    for (let i = 0; i < arg.length; i++) if (toBoolean(arg[i]) === true) return true
    return false
  }
  if (typeof arg === "function") return false
  if (arg !== null && typeof arg === "object") return Object.keys(arg).length > 0
  return false
}

/** Effective boolean of a condition: `undefined` is false. */
export const truthy = (v: unknown): boolean => (typeof v === "boolean" ? v : toBoolean(v) === true)

/** JSONata `isDeepEqual`. */
export const deepEqual = (lhs: unknown, rhs: unknown): boolean => {
  if (lhs === rhs) return true
  if (typeof lhs !== "object" || typeof rhs !== "object" || lhs === null || rhs === null) return false
  if (Array.isArray(lhs) && Array.isArray(rhs)) {
    if (lhs.length !== rhs.length) return false
    for (let i = 0; i < lhs.length; i++) if (!deepEqual(lhs[i], rhs[i])) return false
    return true
  }
  const lkeys = Object.getOwnPropertyNames(lhs).sort()
  const rkeys = Object.getOwnPropertyNames(rhs).sort()
  if (lkeys.length !== rkeys.length) return false
  for (let i = 0; i < lkeys.length; i++) if (lkeys[i] !== rkeys[i]) return false
  for (const key of lkeys) if (!deepEqual((lhs as Rec)[key], (rhs as Rec)[key])) return false
  return true
}
