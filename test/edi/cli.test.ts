import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { ediAck, ediParse, ediValidate } from "../../runtime/edi/cli.ts"
import { parse } from "../../runtime/edi/index.ts"
import { repoRoot } from "./helpers.ts"

const f = (p: string) => join(repoRoot, "test/fixtures/x12", p)

describe("edi CLI functions", () => {
  it("parse prints structured JSON with the partner's guide", async () => {
    const r = await ediParse(f("olmelabs-EdiEngine/850.OK.edi"), { partner: "corner-market", root: repoRoot })
    expect(r.exitCode).toBe(0)
    const doc = JSON.parse(r.stdout)
    expect(doc.interchanges[0].groups[0].sets[0].data.poNumber).toBe("08292233294")
    expect(doc.interchanges[0].groups[0].sets[0].guide).toBe("corner-850")
  })
  it("parse without a guide prints generic segments; pretty format works", async () => {
    const r = await ediParse(f("olmelabs-EdiEngine/940.OK.edi"), { root: repoRoot, format: "pretty" })
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toContain("set 1 940 0001 [no guide]")
    expect(r.stdout).toContain("W05*N*538686**001001*538686")
  })
  it("ambiguous guides without --partner are an info finding, not an error", async () => {
    const r = await ediValidate(f("olmelabs-EdiEngine/850.OK.edi"), { root: repoRoot })
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toContain("EDI:010")
  })
  it("validate exits 1 with positioned findings", async () => {
    const r = await ediValidate(f("olmelabs-EdiEngine/ControlNumbersMismatch.edi"), { root: repoRoot })
    expect(r.exitCode).toBe(1)
    expect(r.stdout.trim().split("\n")).toEqual([
      expect.stringMatching(/ControlNumbersMismatch\.edi:7:6: error AK5:3 .*\[interchange 1 \(000003438\) group 1 \(3314\) set 1 940 \(0001\) segment 5 SE element 2\]$/),
      expect.stringMatching(/:8:6: error AK9:4 /),
      expect.stringMatching(/:9:7: error TA1:001 /)
    ])
    const guided = await ediValidate(f("olmelabs-EdiEngine/850.OK.edi"), { partner: "bigbox-retail", root: repoRoot })
    expect(guided.exitCode).toBe(1)
    expect(guided.stdout).toContain("AK4:7")
    const nonEdi = await ediValidate(f("olmelabs-EdiEngine/NonEdi.edi"), { root: repoRoot })
    expect([nonEdi.exitCode, nonEdi.stdout]).toEqual([1, expect.stringContaining("EDI:001")])
  })
  it("usage and IO errors exit 2 without a stack trace", async () => {
    const missing = await ediValidate(join(tmpdir(), "does-not-exist.edi"))
    expect(missing.exitCode).toBe(2)
    expect(missing.stderr).toMatch(/cannot read .* \(ENOENT\)/)
    expect((await ediParse(f("olmelabs-EdiEngine/850.OK.edi"), { partner: "nobody", root: repoRoot })).exitCode).toBe(2)
  })
  it("ack prints the 997 (and TA1) it would send", async () => {
    const r = await ediAck(f("olmelabs-EdiEngine/850.SyntaxNotes.ERR.edi"), { partner: "corner-market", root: repoRoot, now: new Date(Date.UTC(2024, 0, 1)) })
    expect(r.exitCode).toBe(0)
    const ack = parse(r.stdout)
    expect(ack.findings).toEqual([])
    expect(ack.interchanges[0]!.groups[0]!.sets[0]!.segments.map((s) => s.id)).toEqual(["ST", "AK1", "AK2", "AK3", "AK4", "AK3", "AK4", "AK4", "AK5", "AK9", "SE"])
    const dir = mkdtempSync(join(tmpdir(), "tl-ack-"))
    const file = join(dir, "ack.x12")
    writeFileSync(file, r.stdout)
    expect((await ediAck(file, { root: repoRoot })).stdout).toBe("")
  })
})
