// The shape pool emits exactly what the main thread emits (so where a unit is emitted never shows).
import { describe, expect, it } from "vitest"
import { guideShape } from "../../compiler/cli/guide-shape.ts"
import type { ShapeUnit } from "../../compiler/emit/ir.ts"
import { lowerModel } from "../../compiler/emit/lower.ts"
import { startShapePool } from "../../compiler/emit/shape-pool.ts"
import { emitShapeFiles } from "../../compiler/emit/shapes.ts"
import { loadOrg, REPO, validOrg } from "./support.ts"

describe("shape pool", () => {
  it("gives the same files as emitting in this thread, for every shape of the example organisation", async () => {
    const shapes = lowerModel(validOrg(loadOrg(REPO)), { guideShape }).units.filter((u): u is ShapeUnit => u.k === "shape")
    const broken: ShapeUnit = { k: "shape", key: "schema:x/Broken", type: shapes[0]!.type, from: ["x.json"], schema: { $ref: "#/definitions/missing" } }
    const pool = startShapePool(2)
    try {
      const pooled = await Promise.all([...shapes, broken].map((u) => pool.emit(u, false)))
      const local = await Promise.all([...shapes, broken].map((u) => emitShapeFiles(u, false)))
      expect(pooled.map(({ ms: _ms, ...r }) => r)).toEqual(local)
      expect("invalid" in pooled[pooled.length - 1]!).toBe(true)
    } finally {
      await pool.close()
    }
  })
})
