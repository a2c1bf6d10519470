import { describe, expect, it } from "vitest"
import { encodeEbcdic, parse, parseAll, parseInterchanges, serializeInterchange, type Finding, type ParseResult } from "../../runtime/edi/index.ts"
import { codes, fixture, make850 } from "./helpers.ts"

const shape = (r: ParseResult) =>
  r.interchanges.map((ic) => ({
    d: ic.delimiters,
    isa: ic.isa.elements,
    groups: ic.groups.map((g) => ({ gs: g.header.elements, ge: g.trailer?.elements, sets: g.sets.map((s) => s.segments.map((x) => x.elements)) })),
    iea: ic.iea?.elements
  }))

const VALID = [
  "olmelabs-EdiEngine/850.OK.edi",
  "olmelabs-EdiEngine/940.OK.edi",
  "node-x12/850_2.edi",
  "node-x12/855.edi",
  "node-x12/856.edi",
  "imsweb-x12-parser/x12_999_rejected.txt",
  "pyx12/binary_delimiters_0x1C-0x1F.x12",
  "stedi-bootstrap/855-inbound.edi",
  "olmelabs-EdiEngine/850.SyntaxNotes.ERR.edi" // envelope-valid; its errors are guide (syntax note) errors
]
// Described as valid samples of separators / several groups, but their counts are wrong (see NOTICE.md).
const VALID_WITH_KNOWN_DEFECTS: Record<string, string[]> = {
  "imsweb-x12-parser/x12_valid_different_separators.txt": ["AK5:4"],
  "imsweb-x12-parser/x12_multiple_gs.txt": ["AK5:4", "TA1:021"]
}

describe("sample files", () => {
  for (const file of VALID) {
    it(`${file} parses with a clean envelope`, () => {
      const r = parse(fixture(file))
      expect(r.interchanges).toHaveLength(1)
      expect(r.interchanges[0]!.groups.length).toBeGreaterThan(0)
      expect(codes(r.findings)).toEqual([])
    })
  }
  for (const [file, expected] of Object.entries(VALID_WITH_KNOWN_DEFECTS)) {
    it(`${file} parses; its real count defects are reported`, () => {
      const r = parse(fixture(file))
      expect(r.interchanges).toHaveLength(1)
      expect(r.interchanges[0]!.groups[0]!.sets[0]!.segments).toHaveLength(34)
      expect(codes(r.findings)).toEqual(expected)
    })
  }

  it("reads the delimiters of every sample from its ISA", () => {
    expect(parse(fixture("imsweb-x12-parser/x12_valid_different_separators.txt")).interchanges[0]!.delimiters).toMatchObject({ element: "~", component: "^", segment: "_" })
    expect(parse(fixture("pyx12/binary_delimiters_0x1C-0x1F.x12")).interchanges[0]!.delimiters).toEqual({
      element: "\x1c",
      component: "\x1e",
      repetition: "\x1f",
      segment: "\x1d",
      suffix: "\n"
    })
    expect(parse(fixture("olmelabs-EdiEngine/850.OK.edi")).interchanges[0]!.delimiters.segment).toBe("\n")
    expect(parse(fixture("node-x12/856.edi")).interchanges[0]!.delimiters.repetition).toBe("-")
    // 00501 with "U" in ISA11 (a common slip): no repetition separator
    expect(parse(fixture("imsweb-x12-parser/x12_multiple_gs.txt")).interchanges[0]!.delimiters.repetition).toBeNull()
  })

  it("940_Failed_SE01: SE01 count (AK5 4) at the SE segment", () => {
    const r = parse(fixture("olmelabs-EdiEngine/940_Failed_SE01.edi"))
    expect(codes(r.findings)).toEqual(["AK5:4"])
    expect(r.findings[0]).toMatchObject({ code: "AK5:4", interchange: 1, group: 1, set: 1, segment: 9, segmentId: "SE", element: 1, line: 11, column: 4 })
  })

  it("ControlNumbersMismatch: ST02≠SE02 (AK5 3), GS06≠GE02 (AK9 4), ISA13≠IEA02 (TA1 001)", () => {
    const r = parse(fixture("olmelabs-EdiEngine/ControlNumbersMismatch.edi"))
    expect(codes(r.findings)).toEqual(["AK5:3", "AK9:4", "TA1:001"])
    const byCode = Object.fromEntries(r.findings.map((f) => [f.code, f]))
    expect(byCode["AK5:3"]).toMatchObject({ segment: 5, element: 2, line: 7, value: "0002" })
    expect(byCode["AK9:4"]).toMatchObject({ group: 1, segmentId: "GE", element: 2, line: 8 })
    expect(byCode["TA1:001"]).toMatchObject({ interchange: 1, segmentId: "IEA", element: 2, line: 9 })
  })

  it("WrongGroupsAndTranCount: GE01 (AK9 5) and IEA01 (TA1 021)", () => {
    const r = parse(fixture("olmelabs-EdiEngine/WrongGroupsAndTranCount.edi"))
    expect(codes(r.findings)).toEqual(["AK9:5", "TA1:021"])
  })

  it("NonEdi: not X12 (EDI 001), no interchange, no exception", () => {
    const r = parse(fixture("olmelabs-EdiEngine/NonEdi.edi"))
    expect(r.interchanges).toEqual([])
    expect(codes(r.findings)).toEqual(["EDI:001"])
    expect(r.findings[0]).toMatchObject({ offset: 0, line: 1, column: 1 })
  })

  it("parse → serialize → parse is the identity on every valid sample", () => {
    for (const file of [...VALID, ...Object.keys(VALID_WITH_KNOWN_DEFECTS)]) {
      const first = parse(fixture(file))
      const text = first.interchanges.map(serializeInterchange).join("")
      const second = parse(text)
      expect(shape(second), file).toEqual(shape(first))
      expect(second.findings.map((f) => f.code), file).toEqual(first.findings.map((f) => f.code))
    }
  })

  it("streams in chunks of any size with the same result (split at every byte of a sample)", async () => {
    const bytes = fixture("node-x12/856.edi")
    const whole = parse(bytes)
    for (let cut = 1; cut < bytes.length; cut += 7) {
      const chunks = [bytes.subarray(0, cut), bytes.subarray(cut)]
      const r = await parseAll(chunks)
      expect(shape(r)).toEqual(shape(whole))
    }
    const oneByOne = await parseAll([...bytes].map((b) => Uint8Array.of(b)))
    expect(shape(oneByOne)).toEqual(shape(whole))
  })
})

describe("real-world input", () => {
  it("EBCDIC (CP037) is detected and decoded", () => {
    const text = fixture("node-x12/855.edi").toString("latin1")
    const r = parse(encodeEbcdic(text))
    expect(r.interchanges[0]!.encoding).toBe("ebcdic")
    expect(codes(r.findings)).toEqual([])
    expect(r.interchanges[0]!.groups[0]!.sets[0]!.segments[1]!.elements).toEqual(["BAK", "00", "AD", "POTEST1112", "20201015", "", "60169126", "", "", "20201015"])
  })

  it("a 105-character ISA (one pad space trimmed) parses without findings", () => {
    const text = make850().replace("SENDER         ", "SENDER        ")
    expect(text.indexOf("~")).toBe(104) // 105 characters with the terminator; normally 106
    const r = parse(text)
    expect(r.findings).toEqual([])
    expect(r.interchanges[0]!.header.senderId).toBe("SENDER")
    expect(r.interchanges[0]!.groups[0]!.sets[0]!.segments).toHaveLength(7)
  })

  it("mailbag: several interchanges with different delimiters, BOM, CRLF, trailing Ctrl-Z", () => {
    const text =
      "\ufeff" +
      make850({ isa13: "000000001", nl: "\r\n" }) +
      make850({ el: "|", comp: "^", seg: "\x85", nl: "", isa13: "000000002" }) +
      "\n" +
      make850({ el: "\x1c", comp: "\x1e", seg: "\x1d", nl: "", isa13: "000000003" }) +
      make850({ seg: "\n", nl: "", isa13: "000000004" }) +
      "\x1a"
    const r = parse(Buffer.from(text, "latin1"))
    expect(r.findings).toEqual([])
    expect(r.interchanges.map((i) => [i.header.control, i.delimiters.element, i.groups[0]!.sets[0]!.segments.length])).toEqual([
      ["000000001", "*", 7],
      ["000000002", "|", 7],
      ["000000003", "\x1c", 7],
      ["000000004", "*", 7]
    ])
  })

  it("lines and columns follow newlines", () => {
    const r = parse(make850({ lines: 1 }).replace("SE*6*0001", "SE*7*0001"))
    expect(r.findings[0]).toMatchObject({ code: "AK5:4", line: 8, column: 4, segment: 6 })
  })

  it("one bad set does not stop its siblings", () => {
    const one = make850({ lines: 1 })
    const st = one.indexOf("ST*")
    const ge = one.indexOf("GE*")
    const set = one.slice(st, ge)
    const broken = set.replace("SE*6*0001", "SE*6*0009").replace(/0001/g, "0002").replace("SE*6*0009", "SE*6*0003")
    const text = one.slice(0, st) + broken + set.replace(/0001/g, "0004") + one.slice(ge).replace("GE*1*1", "GE*2*1")
    const r = parse(text)
    expect(r.interchanges[0]!.groups[0]!.sets.map((s) => s.control)).toEqual(["0002", "0004"])
    expect(r.findings.map((f) => [f.code, f.set])).toEqual([["AK5:3", 1]])
  })

  it("envelope rules: ISA fields, duplicates, GS formats, GS01/ST01, missing trailers", () => {
    const bad = make850()
      .replace("240101*1200", "241301*2561")
      .replace("*00401*", "*0040A*")
      .replace("*0*P*", "*2*X*")
    const r = parse(bad + make850())
    expect(codes(r.findings)).toEqual(expect.arrayContaining(["TA1:014", "TA1:015", "TA1:017", "TA1:019", "TA1:020", "TA1:025"]))
    const g = parse(make850().replace("GS*PO*SENDER*RECEIVER*20240101*1200*1", "GS*SH*SENDER*RECEIVER*20241301*9999*1X"))
    expect(codes(g.findings)).toEqual(["AK5:18", "AK9:4", "AK9:6", "TA1:024"])
    const dup = parse(make850().replace("ST*850*0001", "ST*850*0001~\nSE*2*0001~\nST*850*0001").replace("GE*1*1", "GE*2*1"))
    expect(codes(dup.findings)).toEqual(["AK5:23"])
    const cut = make850()
    const truncated = parse(cut.slice(0, cut.indexOf("SE*")))
    expect(codes(truncated.findings)).toEqual(["AK5:2", "AK9:3", "TA1:023"])
    expect(codes(parse(make850({ isa13: "12345" })).findings)).toEqual(["TA1:018"])
  })

  it("async iterator yields interchanges one at a time", async () => {
    const text = make850({ isa13: "000000001" }) + make850({ isa13: "000000002" })
    const got: string[] = []
    for await (const ic of parseInterchanges([Buffer.from(text)])) got.push(ic.header.control)
    expect(got).toEqual(["000000001", "000000002"])
  })

  it("non-ASCII UTF-8 data is read as UTF-8", () => {
    const r = parse(Buffer.from(make850().replace("STORE 1", "MÜNCHEN Café"), "utf8"))
    expect(r.interchanges[0]!.groups[0]!.sets[0]!.segments[2]!.elements[2]).toBe("MÜNCHEN Café")
  })

  it("findings are data with positions", () => {
    const fs: Finding[] = parse(fixture("olmelabs-EdiEngine/ControlNumbersMismatch.edi")).findings
    for (const f of fs) {
      expect(typeof f.offset).toBe("number")
      expect(f.line).toBeGreaterThan(0)
      expect(f.column).toBeGreaterThan(0)
      expect(f.interchange).toBe(1)
    }
  })
})
