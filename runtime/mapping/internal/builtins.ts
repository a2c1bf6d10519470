// JSONata built-in functions, ported one for one from jsonata 2.x (jsonata/src/functions.js) for the
// subset the mapping compiler accepts. `callBuiltin` validates arguments exactly as the interpreter
// does; the `*N` fast paths in ../index.ts call the implementations directly when the argument types
// already match the signature positionally, which is the case for nearly every call in real mappings.
import { fail } from "./errors.ts"
import { parseSignature, type Signature } from "./signature.ts"
import { isNumeric, isRec, normalize, toBoolean } from "./values.ts"

type Impl = (...args: any[]) => unknown // eslint-disable-line @typescript-eslint/no-explicit-any

const chars = (str: string): string[] => Array.from(str)

const jsonReplacer = (_key: string, val: unknown): unknown => {
  if (val !== undefined && val !== null && isNumeric(val)) {
    return Number.isInteger(val) ? val : Number(val.toPrecision(15))
  }
  return typeof val === "function" ? "" : val
}

export const formatString = (arg: unknown, prettify?: boolean): string | undefined => {
  if (arg === undefined) return undefined
  if (typeof arg === "string") return arg
  if (typeof arg === "function") return ""
  if (typeof arg === "number" && !Number.isFinite(arg)) return fail("D3001")
  return JSON.stringify(arg, jsonReplacer, prettify === true ? 2 : 0)
}

const digitsFrom = (s: string, from: number): number => {
  let i = from
  while (i < s.length) {
    const c = s.charCodeAt(i)
    if (c < 48 || c > 57) break
    i++
  }
  return i
}

/** JSONata's `/^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$/.test(s)`, hand-rolled: it runs for every `$number(string)`. */
export const isDecimalString = (s: string): boolean => {
  let i = s.charCodeAt(0) === 45 ? 1 : 0
  let end = digitsFrom(s, i)
  if (end === i) return false
  i = end
  if (s.charCodeAt(i) === 46) {
    end = digitsFrom(s, i + 1)
    if (end === i + 1) return false
    i = end
  }
  const e = s.charCodeAt(i)
  if (e === 69 || e === 101) {
    let j = i + 1
    const sign = s.charCodeAt(j)
    if (sign === 43 || sign === 45) j++
    end = digitsFrom(s, j)
    if (end === j) return false
    i = end
  }
  return i === s.length
}
const RADIX = /^(0[xX][0-9A-Fa-f]+)|(0[oO][0-7]+)|(0[bB][0-1]+)$/

export const toNumber = (arg: unknown): number | undefined => {
  if (arg === undefined) return undefined
  if (typeof arg === "number") return arg
  if (typeof arg === "string") {
    // for strings the pattern accepts, parseFloat and Number agree (and are never NaN)
    if (isDecimalString(arg)) {
      const n = parseFloat(arg)
      if (Number.isFinite(n)) return n
    }
    if (RADIX.test(arg)) return Number(arg)
  }
  if (arg === true) return 1
  if (arg === false) return 0
  return fail("D3030", 1)
}

const SURROGATE = /[\uD800-\uDFFF]/

export const substring = (str: string | undefined, start: number, length?: number): string | undefined => {
  if (str === undefined) return undefined
  if (!SURROGATE.test(str)) {
    // no surrogate pairs: code units are characters, so the code-point algorithm below reduces to this
    let from = start
    if (str.length + from < 0) from = 0
    if (length === undefined) return str.slice(from)
    if (length <= 0) return ""
    const end = from >= 0 ? from + length : str.length + from + length
    return str.slice(from, end) // String#slice converts and clamps exactly like Array#slice
  }
  const arr = chars(str)
  let from = start
  if (arr.length + from < 0) from = 0
  if (length !== undefined) {
    if (length <= 0) return ""
    const end = from >= 0 ? from + length : arr.length + from + length
    return arr.slice(from, end).join("")
  }
  return arr.slice(from).join("")
}

export const substringBefore = (str: string | undefined, token: string): string | undefined => {
  if (str === undefined) return undefined
  const pos = str.indexOf(token)
  return pos > -1 ? str.substring(0, pos) : str
}

export const substringAfter = (str: string | undefined, token: string): string | undefined => {
  if (str === undefined) return undefined
  const pos = str.indexOf(token)
  return pos > -1 ? str.substring(pos + token.length) : str
}

export const trim = (str: string | undefined): string | undefined => {
  if (str === undefined) return undefined
  let result = str.replace(/[ \t\n\r]+/gm, " ")
  if (result.charAt(0) === " ") result = result.substring(1)
  if (result.charAt(result.length - 1) === " ") result = result.substring(0, result.length - 1)
  return result
}

export const pad = (str: string | undefined, width: number, char?: string): string | undefined => {
  if (str === undefined) return undefined
  const fill = char === undefined || char.length === 0 ? " " : char
  const w = Math.trunc(width)
  const padLength = Math.abs(w) - chars(str).length
  if (padLength <= 0) return str
  let padding = new Array(padLength + 1).join(fill)
  if (fill.length > 1) padding = substring(padding, 0, padLength) ?? ""
  return w > 0 ? str + padding : padding + str
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15]

/**
 * `$round(arg, precision)` without JSONata's string round-trips when they cannot matter. JSONata shifts
 * the decimal point through the number's shortest string form (exact), rounds half-to-even, and shifts
 * back. `arg * 10^p` differs from the exact shift by a few ulps only, so when that product is not
 * within a few ulps of a .5 tie both round to the same integer; and shifting an integer back by
 * dividing by an exact power of ten is the correctly rounded result the string parse gives.
 */
const roundFast = (arg: number, precision: number): number | undefined => {
  if (!Number.isInteger(precision) || precision < 1 || precision > 15 || !Number.isFinite(arg)) return undefined
  const scale = POW10[precision] as number
  const y = arg * scale
  if (!(Math.abs(y) < 2 ** 40)) return undefined
  const floor = Math.floor(y)
  const frac = y - floor
  if (!(Math.abs(frac - 0.5) > Math.abs(y) * 1e-14 + 1e-15)) return undefined
  const result = (frac > 0.5 ? floor + 1 : floor) / scale
  return Object.is(result, -0) ? 0 : result
}

export const round = (arg: number | undefined, precision?: number): number | undefined => {
  if (arg === undefined) return undefined
  if (precision) {
    const fast = roundFast(arg, precision)
    if (fast !== undefined) return fast
  }
  let value = arg
  if (precision) {
    const parts = value.toString().split("e")
    value = +(parts[0] + "e" + (parts[1] ? +parts[1] + precision : precision))
  }
  let result = Math.round(value)
  const diff = result - value
  if (Math.abs(diff) === 0.5 && Math.abs(result % 2) === 1) result = result - 1
  if (precision) {
    const parts = result.toString().split("e")
    result = +(parts[0] + "e" + (parts[1] ? +parts[1] - precision : -precision))
  }
  return Object.is(result, -0) ? 0 : result
}

const ISO8601 = /^\d{4}(-[01]\d)?(-[0-3]\d)?(T[0-2]\d:[0-5]\d:[0-5]\d)?(\.\d+)?([+-][0-2]\d:?[0-5]\d|Z)?$/

export const toMillis = (timestamp: string | undefined): number | undefined => {
  if (timestamp === undefined) return undefined
  if (!ISO8601.test(timestamp)) return fail("D3110")
  return Date.parse(timestamp)
}

export const fromMillis = (millis: number | undefined): string | undefined => {
  if (millis === undefined) return undefined
  const date = new Date(millis)
  const year = date.getUTCFullYear()
  if (!(year >= 0 && year <= 9999)) return fail("D3141")
  return date.toISOString()
}

const sum = (args: number[] | undefined): number | undefined => {
  if (args === undefined) return undefined
  let total = 0
  for (const n of args) total += n
  return total
}

const average = (args: number[] | undefined): number | undefined => {
  if (args === undefined || args.length === 0) return undefined
  return (sum(args) ?? 0) / args.length
}

const replace = (str: string | undefined, pattern: string, replacement: string, limit?: number): string | undefined => {
  if (str === undefined) return undefined
  if (pattern === "") fail("D3010", 2)
  if (limit !== undefined && limit < 0) fail("D3011", 4)
  if (limit !== undefined && !(limit > 0)) return str
  let result = ""
  let position = 0
  let count = 0
  let index = str.indexOf(pattern, position)
  while (index !== -1 && (limit === undefined || count < limit)) {
    result += str.substring(position, index)
    result += `${replacement}`
    position = index + pattern.length
    count++
    index = str.indexOf(pattern, position)
  }
  return result + str.substring(position)
}

const split = (str: string | undefined, separator: string, limit?: number): string[] | undefined => {
  if (str === undefined) return undefined
  if (limit !== undefined && limit < 0) fail("D3020", 3)
  if (limit !== undefined && !(limit > 0)) return []
  return str.split(separator, limit)
}

const keyList = (arg: unknown): string[] => {
  if (Array.isArray(arg)) {
    // a null-prototype object, as JSONata uses: integer-like keys come out first, in numeric order
    const merged: Record<string, true> = Object.create(null) as Record<string, true>
    for (const item of arg) for (const key of keyList(item)) merged[key] = true
    return Object.keys(merged)
  }
  return isRec(arg) ? Object.keys(arg) : []
}

/** `$keys` returns a sequence, so its result is normalised like any sequence. */
const keys = (arg: unknown): unknown => normalize(keyList(arg))

const typeOf = (value: unknown): string | undefined => {
  if (value === undefined) return undefined
  if (value === null) return "null"
  if (isNumeric(value)) return "number"
  if (typeof value === "string") return "string"
  if (typeof value === "boolean") return "boolean"
  if (Array.isArray(value)) return "array"
  if (typeof value === "function") return "function"
  return "object"
}

const reverse = (arr: unknown[] | undefined): unknown[] | undefined => {
  if (arr === undefined) return undefined
  if (arr.length <= 1) return arr
  return arr.slice().reverse()
}

const merge = (arg: unknown[] | undefined): unknown => {
  if (arg === undefined) return undefined
  const result: Record<string, unknown> = {}
  for (const obj of arg) {
    if (!isRec(obj)) continue
    for (const key of Object.keys(obj)) {
      Object.defineProperty(result, key, { value: obj[key], enumerable: true, writable: true, configurable: true })
    }
  }
  return result
}

const minmax =
  (pick: (...values: number[]) => number) =>
  (args: number[] | undefined): number | undefined =>
    args === undefined || args.length === 0 ? undefined : pick(...args)

const unary =
  (f: (n: number) => number) =>
  (arg: number | undefined): number | undefined =>
    arg === undefined ? undefined : f(arg)

const str =
  (f: (s: string) => string | number) =>
  (arg: string | undefined): string | number | undefined =>
    arg === undefined ? undefined : f(arg)

interface Builtin {
  readonly signature: Signature
  readonly impl: Impl
}

const def = (sig: string, impl: Impl): Builtin => ({ signature: parseSignature(sig), impl })

/** Built-ins by name (without `$`), with JSONata's own signatures. */
export const BUILTINS: Readonly<Record<string, Builtin>> = {
  sum: def("<a<n>:n>", sum),
  count: def("<a:n>", (args: unknown[] | undefined) => (args === undefined ? 0 : args.length)),
  max: def("<a<n>:n>", minmax(Math.max)),
  min: def("<a<n>:n>", minmax(Math.min)),
  average: def("<a<n>:n>", average),
  string: def("<x-b?:s>", formatString),
  substring: def("<s-nn?:s>", substring),
  substringBefore: def("<s-s:s>", substringBefore),
  substringAfter: def("<s-s:s>", substringAfter),
  lowercase: def("<s-:s>", str((s) => s.toLowerCase())),
  uppercase: def("<s-:s>", str((s) => s.toUpperCase())),
  length: def("<s-:n>", str((s) => chars(s).length)),
  trim: def("<s-:s>", trim),
  pad: def("<s-ns?:s>", pad),
  contains: def("<s-(sf):b>", (s: string | undefined, token: string | undefined) =>
    s === undefined || token === undefined ? undefined : s.indexOf(token) !== -1
  ),
  replace: def("<s-(sf)(sf)n?:s>", replace),
  split: def("<s-(sf)n?:a<s>>", split),
  join: def("<a<s>s?:s>", (strs: string[] | undefined, sep?: string) => (strs === undefined ? undefined : strs.join(sep ?? ""))),
  number: def("<(nsb)-:n>", toNumber),
  floor: def("<n-:n>", unary(Math.floor)),
  ceil: def("<n-:n>", unary(Math.ceil)),
  round: def("<n-n?:n>", round),
  abs: def("<n-:n>", unary(Math.abs)),
  sqrt: def("<n-:n>", (arg: number | undefined) => {
    if (arg === undefined) return undefined
    if (arg < 0) fail("D3060", 1)
    return Math.sqrt(arg)
  }),
  power: def("<n-n:n>", (arg: number | undefined, exp: number) => {
    if (arg === undefined) return undefined
    const result = Math.pow(arg, exp)
    if (!Number.isFinite(result)) fail("D3061", 1)
    return result
  }),
  boolean: def("<x-:b>", toBoolean),
  not: def("<x-:b>", (arg: unknown) => (arg === undefined ? undefined : !toBoolean(arg))),
  exists: def("<x:b>", (arg: unknown) => arg !== undefined),
  keys: def("<x-:a<s>>", keys),
  append: def("<xx:a>", (a: unknown, b: unknown) => {
    if (a === undefined) return b
    if (b === undefined) return a
    return (Array.isArray(a) ? a : [a]).concat(Array.isArray(b) ? b : [b])
  }),
  reverse: def("<a:a>", reverse),
  merge: def("<a<o>:o>", merge),
  type: def("<x:s>", typeOf),
  toMillis: def("<s-s?:n>", toMillis),
  fromMillis: def("<n-s?s?:s>", fromMillis)
}

/** Calls a built-in with JSONata's argument validation (context substitution, array wrapping, type errors). */
export const callBuiltin = (name: string, context: unknown, args: ReadonlyArray<unknown>): unknown => {
  const builtin = BUILTINS[name]
  if (builtin === undefined) throw new TypeError(`tradelane mapping runtime: unknown built-in '${name}'`)
  return builtin.impl(...builtin.signature.validate(args, context))
}
