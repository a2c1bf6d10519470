import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, Exit, Layer } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { ControlNumbers, layerMemory, layerSqlite, outbound, parse, structure } from "../../runtime/edi/index.ts"
import { guideOf } from "./helpers.ts"

const dir = mkdtempSync(join(tmpdir(), "tradelane-cn-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const draw = (n: number, partner = "p", kind: "isa" | "gs" | "st" = "isa") =>
  Effect.gen(function* () {
    const c = yield* ControlNumbers
    return yield* Effect.all(Array.from({ length: n }, () => c.next(partner, kind)), { concurrency: 50 })
  })

const backends: Array<[string, () => Layer.Layer<ControlNumbers, unknown>]> = [
  ["memory", () => layerMemory],
  ["sqlite", () => layerSqlite(join(dir, `shared-${Math.random()}.db`))]
]

describe.each(backends)("ControlNumbers (%s)", (_name, layer) => {
  it("counts 1, 2, 3… per partner and kind, without duplicates under concurrency", async () => {
    const l = layer()
    const [a, b, c] = await Effect.runPromise(
      Effect.all([draw(500, "p", "isa"), draw(20, "p", "gs"), draw(20, "q", "isa")]).pipe(Effect.provide(l))
    )
    expect(new Set(a).size).toBe(500)
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1))
    expect(Math.max(...b)).toBe(20)
    expect(Math.max(...c)).toBe(20)
  })
})

describe("ControlNumbers (sqlite durability)", () => {
  it("survives a restart (close and reopen the file) and never reuses a number", async () => {
    const file = join(dir, "restart.db")
    const first = await Effect.runPromise(draw(5).pipe(Effect.provide(layerSqlite(file))))
    const second = await Effect.runPromise(draw(5).pipe(Effect.provide(layerSqlite(file))))
    expect(first.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5])
    expect(second.sort((a, b) => a - b)).toEqual([6, 7, 8, 9, 10])
  })

  it("two connections to one file (two processes) interleave without duplicates", async () => {
    const file = join(dir, "two.db")
    const [x, y] = await Effect.runPromise(
      Effect.all([draw(200).pipe(Effect.provide(layerSqlite(file))), draw(200).pipe(Effect.provide(layerSqlite(file)))], { concurrency: 2 })
    )
    const all = [...x, ...y]
    expect(new Set(all).size).toBe(400)
    expect(Math.max(...all)).toBe(400)
  })

  it("fails with a tagged error when the file cannot be opened", async () => {
    const exit = await Effect.runPromiseExit(draw(1).pipe(Effect.provide(layerSqlite(join(dir, "missing-dir", "x.db")))))
    expect(Exit.isFailure(exit)).toBe(true)
    if (Exit.isFailure(exit)) expect(JSON.stringify(exit.cause)).toContain("ControlNumberError")
  })
})

describe("outbound documents take their control numbers from the sequence", () => {
  it("855 + 810 for bigbox: ISA13, GS06, ST02 from ControlNumbers; the output validates against the guides", async () => {
    const g855 = guideOf("bigbox-retail", "855")
    const g810 = guideOf("bigbox-retail", "810")
    const line = { lineNumber: "1", quantity: 12, uom: "CA", unitPrice: 9.25, buyerPartNumber: "065322-117", vendorPartNumber: "AB3542" }
    const ack855 = { purposeCode: "00", acknowledgmentType: "AC", poNumber: "PO-1", poDate: "20240101", department: "038", lines: [{ ...line, ack: { status: "IA", quantity: 12, uom: "CA" } }], lineItemCount: 1 }
    const inv810 = { invoiceDate: "20240103", invoiceNumber: "INV-1", poNumber: "PO-1", department: "038", shipTo: { name: "DC 7", idQualifier: "92", id: "0007" }, lines: [line], totalAmount: 111, lineItemCount: 1 }
    const identity = { senderQualifier: "ZZ", senderId: "DISTRIB", receiverQualifier: "ZZ", receiverId: "BIGBOX" }
    const program = Effect.gen(function* () {
      const a = yield* outbound("bigbox-retail", identity, [{ guide: g855, json: ack855 }, { guide: g810, json: inv810 }], new Date(Date.UTC(2024, 0, 3)))
      const b = yield* outbound("bigbox-retail", identity, [{ guide: g855, json: ack855 }], new Date(Date.UTC(2024, 0, 3)))
      return [a, b] as const
    })
    const [a, b] = await Effect.runPromise(program.pipe(Effect.provide(layerMemory)))
    expect([a.interchangeControl, a.groups.map((g) => [g.functionalId, g.control, g.sets.map((s) => s.control)])]).toEqual([1, [["PR", 1, [1]], ["IN", 2, [2]]]])
    expect([b.interchangeControl, b.groups[0]!.control, b.groups[0]!.sets[0]!.control]).toEqual([2, 3, 3])
    const parsed = parse(a.text)
    expect(parsed.findings).toEqual([])
    const [s855, s810] = parsed.interchanges[0]!.groups.map((g) => g.sets[0]!)
    expect(structure(s855!, g855)).toEqual({ json: ack855, findings: [] })
    expect(structure(s810!, g810)).toEqual({ json: inv810, findings: [] })
    expect(a.text).toContain("TDS*11100~")
  })
})
