// (2) Property-based differential testing: generated JSON inputs against fixed mappings, and generated
// expressions / field trees from a grammar of the compiled subset, compiled vs interpreted.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import jsonata from "jsonata"
import { Either } from "effect"
import { compileMappingModule, toJsonataExpression, type FieldTree } from "../../compiler/emit/jsonata/index.ts"
import { expression, fieldTree, jsonDocument, TABLES } from "./arbitraries.ts"
import { agree, compile, interpreter, run, show } from "./harness.ts"

const parses = (fields: FieldTree): boolean => {
  try {
    jsonata(toJsonataExpression(fields))
    return true
  } catch {
    return false // the grammar can produce text jsonata reads differently (`a[] / 'x'` starts a regex)
  }
}

/** The one construct of the grammar outside the compiled subset (see lower.ts, tail calls). */
const inSubset = (fields: FieldTree): boolean => {
  const result = compileMappingModule({ name: "t", fields, tables: TABLES, runtimeImport: "x" })
  return Either.isRight(result) || !result.left.every((e) => /as the result of a lambda/.test(e.message))
}

const check = async (fields: FieldTree, inputs: ReadonlyArray<unknown>): Promise<string | undefined> => {
  fc.pre(parses(fields) && inSubset(fields))
  const compiled = compile(fields, TABLES)
  const interp = interpreter(fields, TABLES)
  for (const input of inputs) {
    const a = run(compiled.apply, input)
    const b = await interp.evaluate(input)
    fc.pre(b.mutated !== true)
    if (!agree(a, b)) {
      return `fields ${JSON.stringify(fields)}\ninput ${JSON.stringify(input)}\ncompiled:    ${show(a)}\ninterpreted: ${show(b)}`
    }
  }
  return undefined
}

describe("differential (fast-check)", () => {
  it("fixed mapping, generated inputs", async () => {
    const fields: FieldTree = {
      id: "a",
      sum: "$sum(b[$type($) = 'number'])",
      cat: "a & '/' & b.c",
      first: "b[0].c",
      picked: "b[c > 1].d",
      cond: "a ? 'yes' : 'no'",
      nested: { fields: { x: "c.d", y: "$count(c)" } },
      items: { each: "b", fields: { c: "c", up: "$string(d)", root: "$$.a" } },
      keep: "b.c[]"
    }
    const compiled = compile(fields, TABLES)
    const interp = interpreter(fields, TABLES)
    await fc.assert(
      fc.asyncProperty(jsonDocument, async (input) => {
        const a = run(compiled.apply, input)
        const b = await interp.evaluate(input)
        fc.pre(b.mutated !== true)
        expect(agree(a, b), `input ${JSON.stringify(input)}\ncompiled:    ${show(a)}\ninterpreted: ${show(b)}`).toBe(true)
      }),
      { numRuns: 1000 }
    )
  })

  it("generated expressions, generated inputs", async () => {
    await fc.assert(
      fc.asyncProperty(expression, fc.array(jsonDocument, { minLength: 3, maxLength: 3 }), async (expr, inputs) => {
        const failure = await check({ v: expr }, inputs)
        expect(failure).toBeUndefined()
      }),
      { numRuns: 800 }
    )
  })

  it("generated field trees, generated inputs", async () => {
    await fc.assert(
      fc.asyncProperty(fieldTree, fc.array(jsonDocument, { minLength: 3, maxLength: 3 }), async (fields, inputs) => {
        const failure = await check(fields, inputs)
        expect(failure).toBeUndefined()
      }),
      { numRuns: 300 }
    )
  })
})
