// The only ways spec text enters generated code: as escaped string literals, as data literals printed
// here, or as sanitised comment text. Nothing from a spec is ever spliced into code unescaped.

/** Code-unit order: locale-independent and stable. */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** A TypeScript/JavaScript string literal for any string: JSON escaping plus U+2028/U+2029, `<` and `>` as \u escapes. */
export const jsString = (s: string): string =>
  JSON.stringify(s).replace(/[\u2028\u2029<>]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/

/**
 * An object-literal key. `__proto__` is always computed (`["__proto__"]`): written plainly or quoted it
 * would set the prototype instead of defining a property.
 */
export const jsKey = (key: string): string => (key === "__proto__" ? `[${jsString(key)}]` : IDENTIFIER.test(key) ? key : jsString(key))

/** A property key in a type literal (`__proto__` is an ordinary property name there). */
export const typeKey = (key: string): string => (IDENTIFIER.test(key) ? key : jsString(key))

export type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

/** Own enumerable keys in code-unit order. */
export const sortedKeys = (o: object): string[] => Object.keys(o).sort(compareText)

/**
 * A data literal for JSON-like data, keys sorted, `undefined` members dropped, multi-line with two-space
 * indentation once it is longer than `width`. Non-finite numbers are a defect of the caller.
 */
export const jsLiteral = (value: unknown, indent = 0, width = 100): string => {
  const flat = flatWithin(value, width - indent)
  if (flat !== undefined) return flat
  const pad = "  ".repeat(indent + 1)
  const end = "  ".repeat(indent)
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]"
    return `[\n${value.map((v) => pad + jsLiteral(v, indent + 1, width)).join(",\n")}\n${end}]`
  }
  if (isRecord(value)) {
    const keys = sortedKeys(value).filter((k) => value[k] !== undefined)
    if (keys.length === 0) return "{}"
    return `{\n${keys.map((k) => `${pad}${jsKey(k)}: ${jsLiteral(value[k], indent + 1, width)}`).join(",\n")}\n${end}}`
  }
  return literalFlat(value)
}

/**
 * literalFlat(value) when it is at most `budget` characters long, else undefined: it stops as soon as
 * the text is too long (jsLiteral would otherwise print every subtree flat once per level above it).
 */
const flatWithin = (value: unknown, budget: number): string | undefined => {
  if (Array.isArray(value)) {
    let out = "["
    for (let i = 0; i < value.length; i++) {
      const sep = i > 0 ? ", " : ""
      const part = flatWithin(value[i], budget - out.length - sep.length - 1)
      if (part === undefined) return undefined
      out += sep + part
    }
    out += "]"
    return out.length <= budget ? out : undefined
  }
  if (isRecord(value)) {
    const keys = sortedKeys(value).filter((k) => value[k] !== undefined)
    if (keys.length === 0) return budget >= 2 ? "{}" : undefined
    let out = "{ "
    for (let i = 0; i < keys.length; i++) {
      const head = `${i > 0 ? ", " : ""}${jsKey(keys[i]!)}: `
      const part = flatWithin(value[keys[i]!], budget - out.length - head.length - 2)
      if (part === undefined) return undefined
      out += head + part
    }
    out += " }"
    return out.length <= budget ? out : undefined
  }
  const flat = literalFlat(value)
  return flat.length <= budget ? flat : undefined
}

const literalFlat = (value: unknown): string => {
  if (value === null) return "null"
  if (typeof value === "string") return jsString(value)
  if (typeof value === "boolean") return String(value)
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`non-finite number in generated literal: ${String(value)}`)
    return Object.is(value, -0) ? "0" : String(value)
  }
  if (Array.isArray(value)) return `[${value.map(literalFlat).join(", ")}]`
  if (isRecord(value)) {
    const keys = sortedKeys(value).filter((k) => value[k] !== undefined)
    return keys.length === 0 ? "{}" : `{ ${keys.map((k) => `${jsKey(k)}: ${literalFlat(value[k])}`).join(", ")} }`
  }
  throw new TypeError(`value of type ${typeof value} cannot be a generated literal`)
}

/** JSON text with keys sorted, two-space indentation and a final newline (for .json artifacts). */
export const sortedJson = (value: unknown): string => `${JSON.stringify(sortDeep(value), null, 2)}\n`

/** A deep copy with object keys in code-unit order (`__proto__` kept as an own property). */
export const sortDeep = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(sortDeep)
  if (isRecord(value)) {
    const out: Record<string, unknown> = {}
    for (const k of sortedKeys(value)) Object.defineProperty(out, k, { value: sortDeep(value[k]), enumerable: true, writable: true, configurable: true })
    return out
  }
  return value
}

/** Text safe on one line of a `//` or `#` comment: control characters, U+2028/U+2029 and `*\/` neutralised. */
export const commentLine = (s: string): string => s.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, " ").replace(/\*\//g, "*\\/")

/** Text safe in Markdown table cells and prose: no raw HTML, pipes or line breaks. */
export const markdownText = (s: string): string =>
  s
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\|/g, "\\|")
    .replace(/`/g, "\\`")
    .trim()
