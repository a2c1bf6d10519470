// `tradelane new partner`: the scaffolded folder validates as it is, its placeholder fixtures pass, and
// the command says what is left to fill in.
import { spawnSync } from "node:child_process"
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { ediHooks } from "../../compiler/cli/guide-shape.ts"
import { scaffoldPartner } from "../../compiler/scaffold/partner.ts"
import { loadProject } from "../../compiler/source/source.ts"
import { validateSources } from "../../compiler/validate/index.ts"

const root = join(import.meta.dirname, "..", "..")
const cli = join(root, "bin", "tradelane.js")
let dir = ""

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "tradelane-new-"))
  cpSync(join(root, "specs"), join(dir, "specs"), { recursive: true })
  cpSync(join(root, "partners"), join(dir, "partners"), { recursive: true })
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe("tradelane new partner", () => {
  for (const type of ["edi", "marketplace", "warehouse"] as const) {
    it(`scaffolds a ${type} partner that validates, with placeholder fixtures marked as such`, () => {
      const name = `new-${type}`
      const r = spawnSync("node", [cli, "new", "partner", name, "--type", type, "--owner", "@distrib/integrations"], { cwd: dir, encoding: "utf8" })
      expect(r.stderr).toBe("")
      expect(r.status).toBe(0)
      expect(r.stdout).toMatch(/Left to fill in:/)
      expect(r.stdout).toMatch(/no findings/)
      const { diagnostics, model } = validateSources(loadProject(dir).files, ediHooks)
      expect(diagnostics.filter((d) => d.file.startsWith(`partners/${name}/`))).toEqual([])
      expect(model.partners.get(name)?.spec.type).toBe(type)
      const fixtures = model.fixtures.filter((f) => f.partner === name)
      expect(fixtures.length).toBeGreaterThan(0)
      for (const f of fixtures) {
        expect(f.name).toBe("placeholder")
        expect(f.expected).toBeDefined()
      }
      expect(readFileSync(join(dir, "partners", name, "tests", "README.md"), "utf8")).toMatch(/placeholders, not real partner data/)
      if (type === "edi") for (const doc of ["850", "855", "856", "810"]) expect(existsSync(join(dir, "partners", name, "guides", `${doc}.yaml`))).toBe(true)
    })
  }

  it("refuses a bad name or an existing folder with a usage error", () => {
    const bad = spawnSync("node", [cli, "new", "partner", "Bad_Name", "--type", "edi"], { cwd: dir, encoding: "utf8" })
    expect(bad.status).toBe(2)
    const again = spawnSync("node", [cli, "new", "partner", "new-edi", "--type", "edi"], { cwd: dir, encoding: "utf8" })
    expect(again.status).toBe(2)
    expect(again.stderr).toMatch(/already exists/)
  })

  it("is a pure function of the model: same input, same files", () => {
    const { model } = validateSources(loadProject(join(root)).files, ediHooks)
    const a = scaffoldPartner(model, { name: "x-wms", type: "warehouse", owners: ["@a/b"] }, ediHooks.guideShape)
    const b = scaffoldPartner(model, { name: "x-wms", type: "warehouse", owners: ["@a/b"] }, ediHooks.guideShape)
    expect(a).toEqual(b)
  })
})
