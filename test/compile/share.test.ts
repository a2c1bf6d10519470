// Shapes that share a template (shape-share.ts) get exactly the bytes they get when emitted on their own.
import { describe, expect, it } from "vitest"
import { syntheticOrg } from "../../bench/synthetic.ts"
import type { ShapeUnit } from "../../compiler/emit/ir.ts"
import { instantiateShape, shareShape } from "../../compiler/emit/shape-share.ts"
import { emitShapeFiles } from "../../compiler/emit/shapes.ts"
import { lowerModel } from "../../compiler/emit/lower.ts"
import { guideShape } from "../../compiler/cli/guide-shape.ts"
import { compileOrg, loadOrg, REPO, validOrg } from "./support.ts"

const shape = (name: string, schema: unknown, partner = "p"): ShapeUnit => ({
  k: "shape",
  key: `schema:${partner}/${name}`,
  type: { name: `${partner[0]!.toUpperCase()}${partner.slice(1)}${name}`, module: `types/partners/${partner}/${name}.ts` },
  from: [`partners/${partner}/schemas/${name}.schema.json`],
  schema: schema as ShapeUnit["schema"]
})

/** The files of `unit` through its template, or undefined when it has none or a check refuses it. */
const viaTemplate = async (unit: ShapeUnit) => {
  const s = shareShape(unit)
  if (s === undefined) return undefined
  const t = await emitShapeFiles(s.template, false)
  return "files" in t ? instantiateShape(unit, s, t.files) : undefined
}

const direct = async (unit: ShapeUnit) => {
  const r = await emitShapeFiles(unit, false)
  return "files" in r ? r.files : r
}

describe("shared shape emission", () => {
  it("gives the same bytes as separate emission for every shape of the example organisation", async () => {
    const shapes = lowerModel(validOrg(loadOrg(REPO)), { guideShape }).units.filter((u): u is ShapeUnit => u.k === "shape")
    let instantiated = 0
    for (const unit of shapes) {
      const files = await viaTemplate(unit)
      if (files === undefined) continue
      instantiated++
      expect(files, unit.key).toEqual(await direct(unit))
    }
    expect(instantiated).toBeGreaterThan(shapes.length / 2)
  })

  it("handles descriptions it must not tokenize, nested and repeated descriptions, and names that clash", async () => {
    const base = {
      type: "object",
      description: "An order.",
      required: ["id"],
      properties: {
        id: { type: "string", description: "The id." },
        other: { type: "string", description: "The id." },
        description: { type: "string", description: "A property named description." },
        note: { type: "string", description: "  padded  " },
        multi: { type: "string", description: "two\nlines" },
        tagged: { type: "array", items: { type: "string", description: "@deprecated item" }, minItems: 1 },
        closing: { type: "string", description: "ends */ here" },
        script: { type: "string", description: "a </script> tag" },
        kind: { enum: [{ description: "data, not a schema" }] },
        ref: { $ref: "#/definitions/Line" },
        proto: { type: "object", properties: { ["__proto__"]: { type: "string", description: "odd key" } } }
      },
      definitions: { Line: { type: "object", description: "A line.", properties: { sku: { type: "string", description: "SKU" } } } }
    }
    const variants: unknown[] = [
      base,
      { ...base, description: "Another order." },
      { ...base, properties: { ...base.properties, id: { type: "string", description: "Different id." } } },
      // Equal descriptions in one shape and different ones in the other: different templates.
      { ...base, properties: { ...base.properties, other: { type: "string", description: "Other." } } }
    ]
    let instantiated = 0
    for (const [i, schema] of variants.entries()) {
      for (const name of ["Order", "Line", "Thing"]) {
        const unit = shape(name, schema, `p${i}`)
        const files = await viaTemplate(unit)
        if (files === undefined) continue
        instantiated++
        expect(files, `${i} ${name}`).toEqual(await direct(unit))
      }
    }
    expect(instantiated).toBe(12)
    expect(shareShape(shape("Order", variants[0]))!.key).toBe(shareShape(shape("Order", variants[1], "q"))!.key)
    expect(shareShape(shape("Order", variants[0]))!.key).not.toBe(shareShape(shape("Order", variants[3]))!.key)
    // A type name that the template holds (a definition of that name) is refused, not renamed wrongly.
    expect(await viaTemplate(shape("Line", { type: "object", properties: { a: { $ref: "#/definitions/PLine" } }, definitions: { PLine: { type: "string", description: "x" } } }))).toBeUndefined()
  })

  it("compiles a small synthetic organisation to the same bytes with and without sharing", async () => {
    const org = syntheticOrg({ partners: 8, flowEvery: 2 })
    const [on, off] = [await compileOrg(org.files, { workers: 0 }), await compileOrg(org.files, { workers: 0, share: false })]
    expect(on.stats.shared).toBeGreaterThan(0)
    expect(off.stats.shared).toBe(0)
    expect(on.files.map((f) => f.path)).toEqual(off.files.map((f) => f.path))
    for (let i = 0; i < on.files.length; i++) expect(on.files[i]!.text, on.files[i]!.path).toBe(off.files[i]!.text)
  })
})
