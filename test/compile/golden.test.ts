// Golden: test/golden/<case>/ holds a small organisation (specs/, partners/) and the whole tree compile
// produces for it (generated/, .github/CODEOWNERS), compared byte for byte; the generated .ts type-check.
// After an intended change to an emitter: UPDATE_GOLDEN=1 npx vitest run test/compile/golden.test.ts
import { readdirSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { DIAGNOSTICS_DOC } from "../../compiler/emit/index.ts"
import { applyDiff, diffTree } from "../../compiler/emit/write.ts"
import { compileOrg, loadOrg, REPO, tsFiles, typecheck, writeScratch } from "./support.ts"

const CASES = readdirSync(join(REPO, "test/golden"), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort()

describe.each(CASES)("golden %s", (name) => {
  const root = join(REPO, "test/golden", name)

  it("compiles to exactly the committed tree", async () => {
    const out = await compileOrg(loadOrg(root))
    expect(out.diagnostics).toEqual([])
    // docs/diagnostics.md depends on the catalog only, not on the specs.
    const files = out.files.filter((f) => f.path !== DIAGNOSTICS_DOC)
    const diff = diffTree(root, files)
    if (process.env["UPDATE_GOLDEN"] === "1") applyDiff(root, files, diff)
    else expect({ drifted: diff.drifted, missing: diff.missing, extra: diff.extra }, "run UPDATE_GOLDEN=1 npx vitest run test/compile/golden.test.ts after an intended change").toEqual({ drifted: [], missing: [], extra: [] })
  })

  it("type-checks under the repository's strict options", async () => {
    const out = await compileOrg(loadOrg(root))
    const dir = writeScratch(`golden-${name}`, out.files)
    expect(typecheck(tsFiles(dir, out.files))).toEqual([])
  })
})
