// Broken-spec cases: each file under cases/ patches the small organisation in base/ and lists the exact
// findings ({ code, file, line, column }) validate must report: no more, no fewer.
import { readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { parse, stringify } from "yaml"
import { validateSources } from "../../compiler/validate/index.ts"
import { ediHooks } from "../../compiler/cli/guide-shape.ts"
import { applyPatches, readTree } from "../support/org.ts"
import type { Patch } from "../support/org.ts"

const here = import.meta.dirname
const base = readTree(join(here, "base"))
const caseDir = join(here, "cases")
const cases = readdirSync(caseDir).filter((f) => f.endsWith(".yaml")).sort()

interface Expected {
  readonly code: string
  readonly file: string
  readonly line: number
  readonly column: number
}

const run = (patches: ReadonlyArray<Patch>) =>
  validateSources(applyPatches(base, patches), ediHooks).diagnostics.map(({ code, file, line, column }) => ({ code, file, line, column }))

describe("validate: the base organisation", () => {
  it("is clean", () => {
    expect(run([])).toEqual([])
  })
})

describe("validate: broken specs", () => {
  it("has at least 40 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40)
  })
  for (const file of cases) {
    it(file.replace(/\.yaml$/, ""), () => {
      const spec = parse(readFileSync(join(caseDir, file), "utf8")) as { description: string; patches: Patch[]; expect: Expected[] }
      const actual = run(spec.patches)
      if (process.env["UPDATE_DIAGNOSTICS"] === "1") {
        writeFileSync(join(caseDir, file), stringify({ ...spec, expect: actual }, { flowCollectionPadding: true, lineWidth: 0 }))
        return
      }
      expect(spec.expect.length).toBeGreaterThan(0)
      expect(actual).toEqual(spec.expect)
    })
  }
})
