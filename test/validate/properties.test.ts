// Properties of validate: order-independent, never crashes on arbitrary text, every finding positioned
// and catalogued.
import fc from "fast-check"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { CATALOG, renderCatalogMarkdown } from "../../compiler/diagnostics/catalog.ts"
import { validateSources } from "../../compiler/validate/index.ts"
import { applyPatches, readTree } from "../support/org.ts"

const root = join(import.meta.dirname, "..", "..")
const base = readTree(join(root, "test", "diagnostics", "base"))

// A broken variant with findings in several files, so ordering matters.
const broken = applyPatches(base, [
  { file: "partners/shop/mappings/shop-order-to-order.yaml", replace: ["        sku: sku", "        sku: skuu"] },
  { file: "specs/flows.yaml", replace: ["operation: createOrder", "operation: createOrders"] },
  { file: "partners/wh/partner.yaml", replace: ["  criticality: high", "  criticallity: high"] },
  { file: "specs/lifecycle.yaml", replace: ["    - { name: shipped, terminal: true }", "    - { name: shipped }"] }
])

describe("validate properties", () => {
  it("gives identical diagnostics whatever the order of the input files", () => {
    const expected = validateSources(broken).diagnostics
    expect(expected.length).toBeGreaterThanOrEqual(4)
    fc.assert(
      fc.property(fc.shuffledSubarray(broken, { minLength: broken.length, maxLength: broken.length }), (files) => {
        expect(validateSources(files).diagnostics).toEqual(expected)
      }),
      { numRuns: 40 }
    )
  })

  const fragments = [
    "apiVersion: tradelane/v1\n", "kind: Mapping\n", "kind: Flow\n", "kind: Partner\n", "metadata:\n", "  name: x\n", "spec:\n",
    "  fields:\n", "    a: b.c\n", "  - x\n", "---\n", "&a [1, *a]\n", "*a\n", "{ a: [1, 2\n", "'unterminated\n", "\t tab: 1\n",
    "key: value\n", "key: value\n", "!!binary AAA\n", "? complex\n: key\n", "%YAML 1.2\n", "...\n", "\u0000", "\u2028", "\ufeff",
    "  source: { schema: shop/Order }\n", "  target: { entity: order@1 }\n", "  steps: []\n", "- { id: 1 }\n", "| \n  block\n"
  ]

  it("never crashes on arbitrary YAML-like text; every finding is positioned and catalogued", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 300 }), fc.array(fc.constantFrom(...fragments), { maxLength: 25 }).map((xs) => xs.join(""))),
        fc.constantFrom("specs/a.yaml", "partners/p/partner.yaml", "partners/p/mappings/m.yaml"),
        (text, path) => {
          const { diagnostics } = validateSources([...base, { path, text }])
          for (const d of diagnostics) {
            expect(CATALOG.has(d.code)).toBe(true)
            expect(d.line).toBeGreaterThanOrEqual(1)
            expect(d.column).toBeGreaterThanOrEqual(1)
            expect(d.file.length).toBeGreaterThan(0)
          }
        }
      ),
      { numRuns: 400 }
    )
  })

  it("docs/diagnostics.md is the catalog", () => {
    expect(readFileSync(join(root, "docs", "diagnostics.md"), "utf8")).toBe(renderCatalogMarkdown())
  })
})
