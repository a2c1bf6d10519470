// compile --check: every drifted, missing or extra file is listed, nothing is written, exit 1.
import { execFileSync } from "node:child_process"
import { cpSync, existsSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { applyDiff, diffDiagnostics, diffTree } from "../../compiler/emit/write.ts"
import { REPO, SCRATCH } from "./support.ts"
import { compileOrg, loadOrg } from "./support.ts"

const project = (name: string): string => {
  const dir = join(SCRATCH, name)
  rmSync(dir, { recursive: true, force: true })
  cpSync(join(REPO, "test/golden/basic"), dir, { recursive: true })
  return dir
}

describe("compile --check", () => {
  it("finds drifted, missing and extra files", async () => {
    const dir = project("check-diff")
    const out = await compileOrg(loadOrg(dir))
    const files = out.files.filter((f) => f.path !== "docs/diagnostics.md")
    expect(diffTree(dir, files)).toMatchObject({ drifted: [], missing: [], extra: [] })
    writeFileSync(join(dir, "generated/index.ts"), "// edited by hand\n")
    unlinkSync(join(dir, "generated/ops/asyncapi.yaml"))
    writeFileSync(join(dir, "generated/stale.ts"), "export {}\n")
    writeFileSync(join(dir, ".github/CODEOWNERS"), "* @someone\n")
    const diff = diffTree(dir, files)
    expect(diff).toMatchObject({ drifted: [".github/CODEOWNERS", "generated/index.ts"], missing: ["generated/ops/asyncapi.yaml"], extra: ["generated/stale.ts"] })
    expect(diffDiagnostics(diff).map((d) => [d.code, d.file])).toEqual([
      ["TL8001", ".github/CODEOWNERS"],
      ["TL8001", "generated/index.ts"],
      ["TL8002", "generated/ops/asyncapi.yaml"],
      ["TL8003", "generated/stale.ts"]
    ])
  })

  it("exits 1 listing the drift and writes nothing", async () => {
    const dir = project("check-cli")
    writeFileSync(join(dir, "generated/index.ts"), "// edited by hand\n")
    writeFileSync(join(dir, "generated/stale.ts"), "export {}\n")
    const cli = (args: string[]) => {
      try {
        return { code: 0, out: execFileSync(process.execPath, ["--import", "tsx", join(REPO, "compiler/cli/main.ts"), ...args, "--root", dir], { cwd: dir, encoding: "utf8" }) }
      } catch (e: unknown) {
        const err = e as { status: number; stdout: string }
        return { code: err.status, out: err.stdout }
      }
    }
    const check = cli(["compile", "--check"])
    expect(check.code).toBe(1)
    expect(check.out).toContain("drifted  generated/index.ts")
    expect(check.out).toContain("extra    generated/stale.ts")
    expect(check.out).toContain("missing  docs/diagnostics.md")
    expect(readFileSync(join(dir, "generated/index.ts"), "utf8")).toBe("// edited by hand\n")
    expect(existsSync(join(dir, "generated/stale.ts"))).toBe(true)
    // What `compile` does after --check: write the differences, delete the extras.
    const out = await compileOrg(loadOrg(dir))
    applyDiff(dir, out.files, diffTree(dir, out.files))
    expect(existsSync(join(dir, "generated/stale.ts"))).toBe(false)
    expect(diffTree(dir, out.files)).toMatchObject({ drifted: [], missing: [], extra: [] })
  })
})
