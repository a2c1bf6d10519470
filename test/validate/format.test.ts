// Formatters: pretty output against goldens, GitHub workflow-command syntax, SARIF shape, exit codes.
import { execFileSync, spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { formatGithub, formatPretty, formatSarif } from "../../compiler/diagnostics/format.ts"
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.ts"
import { validateSources } from "../../compiler/validate/index.ts"
import { applyPatches, readTree } from "../support/org.ts"
import type { Patch } from "../support/org.ts"

const root = join(import.meta.dirname, "..", "..")
const base = readTree(join(root, "test", "diagnostics", "base"))

const goldens: ReadonlyArray<readonly [name: string, patches: Patch[]]> = [
  ["mapping-typos", [
    { file: "partners/shop/mappings/shop-order-to-order.yaml", replace: ["        sku: sku", "        sku: skuu"] },
    { file: "partners/shop/mappings/shop-order-to-order.yaml", replace: ["        quantity: quantity", "        qty: quantity"] }
  ]],
  ["unknown-kind-and-key", [
    { file: "specs/policy.yaml", replace: ["kind: Policy", "kind: Polcy"] },
    { file: "partners/wh/partner.yaml", replace: ["  criticality: high", "  criticallity: high"] }
  ]],
  ["lifecycle", [
    { file: "specs/lifecycle.yaml", replace: ["    - { name: shipped, terminal: true }", "    - { name: shipped, terminal: true }\n    - { name: cancelled, terminal: true }"] },
    { file: "specs/lifecycle.yaml", replace: ["owner: erp, event: order.accepted", "owner: erp, event: order.shipped"] }
  ]],
  ["secrets-and-yaml", [
    { file: "partners/shop/partner.yaml", replace: ["secret: { env: SHOP_SECRET }", "secret: shopsecret123"] },
    { file: "specs/extra.yaml", text: "a: 1\na: 2\n" }
  ]]
]

const diagnosticsOf = (patches: Patch[]) => {
  const files = applyPatches(base, patches)
  const text = new Map(files.map((f) => [f.path, f.text]))
  return { diagnostics: validateSources(files).diagnostics, sourceText: (f: string) => text.get(f) }
}

describe("pretty format", () => {
  for (const [name, patches] of goldens) {
    it(`matches the golden '${name}'`, async () => {
      const { diagnostics, sourceText } = diagnosticsOf(patches)
      await expect(formatPretty(diagnostics, { sourceText })).toMatchFileSnapshot(join(import.meta.dirname, "golden", `${name}.txt`))
    })
  }
})

// ::error file=F,line=N,col=N,endLine=N,endColumn=N,title=T::MESSAGE — properties escape % \r \n : , and data escapes % \r \n.
const COMMAND = /^::(error|warning|notice) (file=[^,:\r\n]*,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,)?title=[^,:\r\n]*::[^\r\n]*$/

describe("github format", () => {
  it("emits one well-formed workflow command per finding, with escaping", () => {
    const { diagnostics } = diagnosticsOf(goldens.flatMap(([, p]) => p).filter((p, i, all) => all.findIndex((q) => q.file === p.file && JSON.stringify(q) === JSON.stringify(p)) === i).slice(0, 3))
    const tricky: Diagnostic = { code: "TL2003", severity: "warning", message: "50% of a:b,c\nnext line", file: "specs/a,b:c.yaml", line: 2, column: 3, endLine: 2, endColumn: 5, hint: "x" }
    const out = formatGithub([...diagnostics, tricky])
    const lines = out.trimEnd().split("\n")
    expect(lines.length).toBe(diagnostics.length + 1)
    for (const line of lines) expect(line).toMatch(COMMAND)
    expect(lines.at(-1)).toBe("::warning file=specs/a%2Cb%3Ac.yaml,line=2,col=3,endLine=2,endColumn=5,title=TL2003 unknown key::50% of a:b,c%0Anext line%0Ax".replace("50%", "50%25"))
  })

  it("caps annotations and points at the SARIF report for the rest", () => {
    const many: Diagnostic[] = Array.from({ length: 60 }, (_, i) => ({ code: "TL2003", severity: "error" as const, message: `m${i}`, file: "specs/a.yaml", line: i + 1, column: 1, endLine: i + 1, endColumn: 2 }))
    const lines = formatGithub(many, { maxAnnotations: 50 }).trimEnd().split("\n")
    expect(lines.length).toBe(51)
    expect(lines[50]).toMatch(/^::notice title=more findings::10 more findings/)
  })
})

describe("sarif format", () => {
  it("is SARIF 2.1.0 with one rule per code and positioned results", () => {
    const { diagnostics } = diagnosticsOf(goldens[0]![1])
    const sarif = JSON.parse(formatSarif(diagnostics)) as { version: string; runs: Array<{ tool: { driver: { rules: Array<{ id: string }> } }; results: Array<{ ruleId: string; ruleIndex: number; locations: Array<{ physicalLocation: { region: { startLine: number } } }> }> }> }
    expect(sarif.version).toBe("2.1.0")
    const run = sarif.runs[0]!
    expect(run.results.length).toBe(diagnostics.length)
    for (const r of run.results) {
      expect(run.tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId)
      expect(r.locations[0]!.physicalLocation.region.startLine).toBeGreaterThan(0)
    }
  })
})

describe("the tradelane command", () => {
  const cli = join(root, "bin", "tradelane.js")
  it("exits 0 on a clean organisation, 1 on findings, 2 on a usage error, without stack traces", () => {
    const clean = spawnSync("node", [cli, "validate", join(root, "test", "diagnostics", "base")], { encoding: "utf8" })
    expect(clean.status).toBe(0)
    const missing = spawnSync("node", [cli, "validate", join(root, "no", "such", "dir")], { encoding: "utf8" })
    expect(missing.status).toBe(2)
    expect(missing.stderr).toMatch(/path not found/)
    expect(missing.stderr + missing.stdout).not.toMatch(/\n\s+at /)
    const badFlag = spawnSync("node", [cli, "validate", "--format", "xml"], { encoding: "utf8" })
    expect(badFlag.status).toBe(2)
    const json = execFileSync("node", [cli, "explain", "TL4001"], { encoding: "utf8" })
    expect(json).toMatch(/^TL4001 \(mapping, error\): unknown target field/)
  })

  it("`run` that cannot start says why and exits 1, without a stack trace", () => {
    const dir = mkdtempSync(join(tmpdir(), "tradelane-run-"))
    try {
      writeFileSync(join(dir, "tradelane.db"), "not a database")
      const bad = spawnSync("node", [cli, "run", "--data-dir", dir, "--port", "0"], { encoding: "utf8", cwd: root, timeout: 30_000 })
      expect(bad.status).toBe(1)
      expect(bad.stderr).toMatch(/^tradelane run: store: open failed: file is not a database$/m)
      expect(bad.stderr + bad.stdout).not.toMatch(/\n\s+at /)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it("exits 1 with findings, printed in the format asked for", () => {
    const r = spawnSync("node", [cli, "validate", "--format", "json", join(root, "test", "diagnostics", "cases")], { encoding: "utf8" })
    // The case files are not spec documents: each one is reported as a document of unknown shape.
    expect(r.status).toBe(1)
    const parsed = JSON.parse(r.stdout) as { diagnostics: Array<{ code: string }> }
    expect(parsed.diagnostics.length).toBeGreaterThan(0)
    void readFileSync
  })
})
