import { describe, expect, it } from "vitest"
import {
  acknowledge,
  extractAcks,
  matchAcks,
  parse,
  validateParsed,
  type Interchange
} from "../../runtime/edi/index.ts"
import { fixture, guideOf, make850 } from "./helpers.ts"

const NOW = new Date(Date.UTC(2024, 5, 1, 12, 0))
const controls = { interchange: 100, group: 200, set: 300 }
const segs = (text: string) => parse(text).interchanges[0]!.groups.flatMap((g) => g.sets.flatMap((s) => s.segments.map((x) => x.elements.join("*"))))

describe("997", () => {
  it("answers ControlNumbersMismatch with AK5 R 3 and AK9 R 4, and a TA1 R 001", () => {
    const r = parse(fixture("olmelabs-EdiEngine/ControlNumbersMismatch.edi"))
    const ack = acknowledge(r.interchanges[0]!, r.findings, { controls, date: NOW })
    expect(ack.ta1?.elements).toEqual(["TA1", "000003438", "101127", "1719", "R", "001"])
    expect(ack.functional).toHaveLength(1)
    expect(ack.functional[0]!.body.map((s) => s.elements.join("*"))).toEqual(["AK1*OW*3314", "AK2*940*0001", "AK5*R*3", "AK9*R*1*1*0*4"])
    // the whole acknowledgment is a valid interchange back to the sender, with ids swapped
    const back = parse(ack.text)
    expect(back.findings).toEqual([])
    const ic = back.interchanges[0]!
    expect([ic.header.senderId, ic.header.receiverId, ic.header.control]).toEqual(["123456789012345", "ABCDEFGHIJKLMNO", "000000100"])
    expect(ic.controlSegments.map((s) => s.elements[0])).toEqual(["TA1"])
    expect(ic.groups[0]!.functionalId).toBe("FA")
    expect(ic.groups[0]!.sets[0]!.segments.map((s) => s.id)).toEqual(["ST", "AK1", "AK2", "AK5", "AK9", "SE"])
  })

  it("reports segment and element errors as AK3/AK4 (850 syntax notes)", () => {
    const r = parse(fixture("olmelabs-EdiEngine/850.SyntaxNotes.ERR.edi"))
    const report = validateParsed(r, [{ guide: guideOf("corner-market", "850") }])
    const ack = acknowledge(r.interchanges[0]!, report.findings, { controls, date: NOW })
    expect(ack.ta1).toBeNull()
    expect(ack.functional[0]!.body.map((s) => s.elements.join("*"))).toEqual([
      "AK1*PO*1421",
      "AK2*850*000000010",
      "AK3*PO1*13*PO1*8",
      "AK4*7**2",
      "AK3*PO4*30*PO1*8",
      "AK4*6**2",
      "AK4*6**2",
      "AK5*R*5",
      "AK9*R*1*1*0"
    ])
  })

  it("accepts clean groups (AK5 A, AK9 A) and counts sets; GE01 mismatch is AK9 5", () => {
    const r = parse(fixture("olmelabs-EdiEngine/850.OK.edi"))
    const ok = acknowledge(r.interchanges[0]!, r.findings, { controls, date: NOW })
    expect(ok.functional[0]!.body.map((s) => s.elements.join("*"))).toEqual(["AK1*PO*1421", "AK2*850*000000010", "AK5*A", "AK9*A*1*1*1"])
    const w = parse(fixture("olmelabs-EdiEngine/WrongGroupsAndTranCount.edi"))
    const bad = acknowledge(w.interchanges[0]!, w.findings, { controls, date: NOW })
    expect(bad.functional[0]!.body.at(-1)!.elements).toEqual(["AK9", "R", "2", "1", "1", "5"])
    expect(bad.ta1?.elements.slice(4)).toEqual(["R", "021"])
  })

  it("uses 999 (IK3/IK4/IK5) when the group is 005010X231 or the guide says so", () => {
    const text = make850().replace("*00401*", "*00501*").replace("*004010~", "*005010X231A1~").replace("ST*850*0001", "ST*850*0001*005010X231A1")
    const r = parse(text.replace("N1*ST*STORE 1*92*0001~\n", "N1*ST*STORE 1*92*0001~\nXX*1~\n").replace("SE*7*", "SE*8*"))
    const ic = r.interchanges[0]!
    const ack = acknowledge(ic, [...r.findings, { code: "AK3:2", severity: "error", message: "x", interchange: 1, group: 1, set: 1, segment: 4, segmentId: "XX", offset: 0, line: 1, column: 1 }], {
      controls,
      date: NOW
    })
    expect(ack.functional[0]!.type).toBe("999")
    expect(ack.functional[0]!.body.map((s) => s.elements.join("*"))).toEqual([
      "AK1*PO*1*005010X231A1",
      "AK2*850*0001*005010X231A1",
      "IK3*XX*4**2",
      "IK5*R*5",
      "AK9*R*1*1*0"
    ])
    const back = parse(ack.text)
    expect(back.findings).toEqual([])
    expect(back.interchanges[0]!.groups[0]!.version).toBe("005010X231A1")
    expect(back.interchanges[0]!.groups[0]!.sets[0]!.id).toBe("999")
    const byGuide = acknowledge(parse(make850()).interchanges[0]!, [], { controls, date: NOW, ackType: () => "999" })
    expect(byGuide.functional[0]!.type).toBe("999")
  })
})

describe("TA1 and acknowledging acknowledgments", () => {
  it("TA1 A when ISA14 = 1 and the envelope is clean", () => {
    const r = parse(make850({ ack: "1" }))
    expect(acknowledge(r.interchanges[0]!, r.findings, { controls, date: NOW }).ta1?.elements).toEqual(["TA1", "000000001", "240101", "1200", "A", "000"])
  })
  it("no TA1 when ISA14 = 0 and the envelope is clean; TA1 R on a bad envelope", () => {
    const clean = parse(make850())
    expect(acknowledge(clean.interchanges[0]!, clean.findings, { controls, date: NOW }).ta1).toBeNull()
    const bad = parse(make850().replace("IEA*1*000000001", "IEA*1*000000009"))
    expect(acknowledge(bad.interchanges[0]!, bad.findings, { controls, date: NOW }).ta1?.elements.slice(4)).toEqual(["R", "001"])
  })
  it("never acknowledges an acknowledgment (999, 997, TA1-only), even with ISA14 = 1", () => {
    const r = parse(fixture("imsweb-x12-parser/x12_999_rejected.txt"))
    const ack = acknowledge(r.interchanges[0]!, r.findings, { controls, date: NOW })
    expect(ack).toEqual({ ta1: null, functional: [], text: "" })
    const ours = acknowledge(parse(make850()).interchanges[0]!, [], { controls, date: NOW })
    const again = parse(ours.text.replace("*0*P*", "*1*P*"))
    expect(acknowledge(again.interchanges[0]!, again.findings, { controls, date: NOW }).text).toBe("")
    const ta1Only = parse(
      "ISA*00*          *00*          *ZZ*A              *ZZ*B              *240101*1200*U*00401*000000005*1*P*>~TA1*000000001*240101*1200*A*000~IEA*0*000000005~"
    )
    expect(ta1Only.findings).toEqual([])
    expect(acknowledge(ta1Only.interchanges[0]!, ta1Only.findings, { controls, date: NOW }).text).toBe("")
  })
  it("multiple_gs (ISA14 = 1): one TA1 and one 997 per group", () => {
    const r = parse(fixture("imsweb-x12-parser/x12_multiple_gs.txt"))
    const ack = acknowledge(r.interchanges[0]!, r.findings, { controls, date: NOW })
    expect(ack.ta1?.elements.slice(4)).toEqual(["R", "021"])
    expect(ack.functional.map((f) => f.group)).toEqual([1, 2, 3])
    expect(segs(ack.text).filter((s) => s.startsWith("ST*"))).toEqual(["ST*997*0300", "ST*997*0301", "ST*997*0302"])
  })
})

describe("matching acknowledgments to what we sent", () => {
  const sentAt = new Date(Date.UTC(2024, 5, 1, 0, 0))
  const sent = [
    { partner: "bigbox-retail", control: 11, sentAt, ackWindowMs: 24 * 3600_000, ta1Expected: true, groups: [{ functionalId: "SH", control: 21 }, { functionalId: "IN", control: 22 }] },
    { partner: "corner-market", control: 12, sentAt, ackWindowMs: 24 * 3600_000, groups: [{ functionalId: "PR", control: 23 }] }
  ]
  const ackFrom = (partner: string, text: string, at: Date) => parse(text).interchanges.flatMap((ic: Interchange) => extractAcks(ic, partner, at))
  const ack997 = (fid: string, gs: number, status: string, st = "0001") =>
    `ISA*00*          *00*          *ZZ*BIGBOX         *ZZ*US             *240601*1300*U*00401*000000777*0*P*>~GS*FA*BIGBOX*US*20240601*1300*777*X*004010~ST*997*0001~AK1*${fid}*${gs}~AK2*856*${st}~AK5*${status}~AK9*${status}*1*1*${status === "R" ? 0 : 1}~SE*6*0001~GE*1*777~IEA*1*000000777~`

  it("matches 997s and TA1s; the missing ones are pending, then overdue past the window", () => {
    const received = [
      ...ackFrom("bigbox-retail", ack997("SH", 21, "R"), new Date(Date.UTC(2024, 5, 1, 13))),
      ...ackFrom(
        "bigbox-retail",
        "ISA*00*          *00*          *ZZ*BIGBOX         *ZZ*US             *240601*1300*U*00401*000000778*0*P*>~TA1*000000011*240601*0000*A*000~IEA*0*000000778~",
        new Date(Date.UTC(2024, 5, 1, 13))
      ),
      ...ackFrom("corner-market", ack997("PO", 99, "A"), new Date(Date.UTC(2024, 5, 1, 13)))
    ]
    const early = matchAcks(sent, received, new Date(Date.UTC(2024, 5, 1, 14)))
    expect(early.matched.map((m) => [m.kind, m.groupControl ?? m.interchangeControl, m.status, m.rejectedSets])).toEqual([
      ["TA1", "11", "A", []],
      ["997", "21", "R", ["0001"]]
    ])
    expect(early.pending.map((p) => [p.partner, p.functionalId, p.groupControl])).toEqual([
      ["bigbox-retail", "IN", "22"],
      ["corner-market", "PR", "23"]
    ])
    expect(early.overdue).toEqual([])
    expect(early.unmatched.map((u) => u.kind === "TA1" ? "TA1" : `${u.functionalId}:${u.groupControl}`)).toEqual(["PO:99"])
    const late = matchAcks(sent, received, new Date(Date.UTC(2024, 5, 2, 0, 1)))
    expect(late.overdue.map((p) => [p.partner, p.kind, p.groupControl, p.dueAt.toISOString()])).toEqual([
      ["bigbox-retail", "functional", "22", "2024-06-02T00:00:00.000Z"],
      ["corner-market", "functional", "23", "2024-06-02T00:00:00.000Z"]
    ])
  })
})
