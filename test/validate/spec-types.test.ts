// The compiler's own spec types are generated from the kind schemas (json-schema-to-typescript) and
// committed; this fails when a schema changed without `npm run schemas:types`.
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { renderSpecTypes } from "../../compiler/schemas/build-types.ts"

describe("compiler/schemas/spec-types.ts", () => {
  it("is what the kind schemas generate", async () => {
    const committed = readFileSync(join(import.meta.dirname, "..", "..", "compiler", "schemas", "spec-types.ts"), "utf8")
    expect(await renderSpecTypes()).toBe(committed)
  })
})
