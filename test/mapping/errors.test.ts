// (3) Constructs outside the compiled subset are positioned errors with a hint, never a fallback.
import { describe, expect, it } from "vitest"
import { compileErrors } from "./harness.ts"

const TABLES = { uom: { EA: "each" }, status: { Shipped: "shipped" } }

const cases: ReadonlyArray<readonly [string, string, number]> = [
  ["$now()", "TL4101", 0],
  ["  $millis()", "TL4101", 2],
  ["$random()", "TL4101", 0],
  ["a.*", "TL4101", 2],
  ["**.a", "TL4101", 0],
  ['a{"x": b}', "TL4101", 1],
  ["$match(a, /x/)", "TL4101", 0],
  ["$sort(a)", "TL4101", 0],
  ["$eval('1')", "TL4101", 0],
  ["a ~> $substring(?, 1)", "TL4101", 5],
  ["  $foo(x)", "TL4103", 2],
  ["$uppercse(x)", "TL4103", 0],
  ["$lookup('nope', a)", "TL4104", 8],
  ["$lookup('uoms', a)", "TL4104", 8],
  ["a +", "TL4102", 3],
  ['"unterminated', "TL4102", 0],
  ["a & `unterminated", "TL4102", 4],
  ["x + $undefinedVar", "TL4101", 4],
  ["$map(a, $string)", "TL4101", 8],
  ['{"k": 1, "k": 2}', "TL4101", 9],
  ["{a: 1}", "TL4101", 1],
  ["$fromMillis(0, '[Y0001]')", "TL4101", 0],
  ["$map(a, function($i) { $map($i, function($j) { $j }) })", "TL4101", 23]
]

describe("unsupported constructs", () => {
  it.each(cases)("%s -> %s at %i", (expr, code, offset) => {
    const errors = compileErrors({ v: expr }, TABLES)
    expect(errors.map((e) => ({ code: e.code, offset: e.exprOffset, fieldPath: e.fieldPath }))).toContainEqual({
      code,
      offset,
      fieldPath: ["v"]
    })
    for (const e of errors) expect(e.hint ?? "", `${e.code} ${e.message}`).not.toBe("")
  })

  it("suggests the function the author probably meant", () => {
    const [error] = compileErrors({ v: "$uppercse(x)" })
    expect(error?.hint).toContain("$uppercase")
  })

  it("suggests a declared table", () => {
    const [error] = compileErrors({ v: "$lookup('uoms', a)" }, TABLES)
    expect(error?.hint).toContain("'uom'")
  })

  it("rejects $now with a determinism hint", () => {
    const [error] = compileErrors({ v: "$now()" })
    expect(error?.hint).toMatch(/deterministic/)
  })

  it("positions errors in nested and each rules and accumulates them, sorted", () => {
    const errors = compileErrors({
      z: "$now()",
      lines: { each: "Items.*", fields: { sku: "$bogus(Sku)", ok: "Sku" } },
      customer: { fields: { email: "a +" } }
    })
    expect(errors.map((e) => [e.fieldPath, e.code, e.exprOffset])).toEqual([
      [["customer", "fields", "email"], "TL4102", 3],
      [["lines", "each"], "TL4101", 6],
      [["lines", "fields", "sku"], "TL4103", 0],
      [["z"], "TL4101", 0]
    ])
  })

  it("rejects reserved target field names and bad type names", () => {
    expect(compileErrors({ _jsonata_lambda: "1" }).map((e) => e.code)).toEqual(["TL4105"])
  })
})
