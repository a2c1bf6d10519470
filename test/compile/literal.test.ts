// jsLiteral stops printing a subtree flat once it is too long for its line: the output is the same as
// printing it flat in full and measuring (the reference below, the former implementation).
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { jsKey, jsLiteral, jsString, sortedKeys } from "../../compiler/emit/literal.ts"

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

const flat = (value: unknown): string => {
  if (value === null) return "null"
  if (typeof value === "string") return jsString(value)
  if (typeof value === "boolean") return String(value)
  if (typeof value === "number") return Object.is(value, -0) ? "0" : String(value)
  if (Array.isArray(value)) return `[${value.map(flat).join(", ")}]`
  const o = value as Record<string, unknown>
  const keys = sortedKeys(o).filter((k) => o[k] !== undefined)
  return keys.length === 0 ? "{}" : `{ ${keys.map((k) => `${jsKey(k)}: ${flat(o[k])}`).join(", ")} }`
}

const reference = (value: unknown, indent = 0, width = 100): string => {
  const f = flat(value)
  if (f.length + indent <= width) return f
  const pad = "  ".repeat(indent + 1)
  const end = "  ".repeat(indent)
  if (Array.isArray(value)) return value.length === 0 ? "[]" : `[\n${value.map((v) => pad + reference(v, indent + 1, width)).join(",\n")}\n${end}]`
  if (isRecord(value)) {
    const keys = sortedKeys(value).filter((k) => value[k] !== undefined)
    return keys.length === 0 ? "{}" : `{\n${keys.map((k) => `${pad}${jsKey(k)}: ${reference(value[k], indent + 1, width)}`).join(",\n")}\n${end}}`
  }
  return f
}

describe("jsLiteral", () => {
  it("prints exactly what printing flat and measuring prints", () => {
    const json = fc.jsonValue({ maxDepth: 5 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown)
    fc.assert(
      fc.property(json, fc.nat(6), fc.integer({ min: 0, max: 120 }), (value, indent, width) => {
        expect(jsLiteral(value, indent, width)).toBe(reference(value, indent, width))
      }),
      { numRuns: 2000 }
    )
  })
})
