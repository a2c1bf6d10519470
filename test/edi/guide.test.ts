import { readFileSync } from "node:fs"
import { Ajv } from "ajv"
import { describe, expect, it } from "vitest"
import { parseAllDocuments } from "yaml"
import { guideSchema } from "../../compiler/schemas/guide.ts"
import {
  checkGuide,
  envelope,
  fromJson,
  guideJsonSchema,
  loadGuides,
  parse,
  serializeSegments,
  structure,
  DEFAULT_DELIMITERS,
  type JsonObject,
  type TransactionSet
} from "../../runtime/edi/index.ts"
import { codes, fixture, guideOf, repoRoot } from "./helpers.ts"

const firstSet = (bytes: Buffer | string): TransactionSet => parse(bytes).interchanges[0]!.groups[0]!.sets[0]!
const ajv = () => new Ajv({ strict: false, allErrors: true })

describe("partner guides", () => {
  const loaded = loadGuides(repoRoot)
  it("every guide YAML validates against the Guide schema and has no semantic problems", () => {
    const validate = new Ajv({ strict: true, allErrors: true }).compile(guideSchema)
    expect(loaded.problems).toEqual([])
    expect(loaded.guides.map((g) => `${g.partner}/${g.guide.transactionSet}`).sort()).toEqual([
      "bigbox-retail/810",
      "bigbox-retail/850",
      "bigbox-retail/855",
      "bigbox-retail/856",
      "corner-market/810",
      "corner-market/850",
      "corner-market/855",
      "corner-market/856"
    ])
    for (const g of loaded.guides) {
      const doc = parseAllDocuments(readFileSync(g.file, "utf8"))[0]!.toJS()
      expect(validate(doc), `${g.file}: ${JSON.stringify(validate.errors)}`).toBe(true)
      expect(checkGuide(g.guide), g.file).toEqual([])
    }
  })
})

describe("structure", () => {
  it("corner-market 850: the olmelabs sample structures cleanly into named JSON", () => {
    const r = structure(firstSet(fixture("olmelabs-EdiEngine/850.OK.edi")), guideOf("corner-market", "850"))
    expect(r.findings).toEqual([])
    expect(r.json).toMatchObject({
      purposeCode: "00",
      poNumber: "08292233294",
      poDate: "20101127",
      requestedDeliveryDate: "20101214",
      references: [{ qualifier: "DP", value: "038" }, { qualifier: "PS", value: "R" }],
      shipTo: { name: "XYZ RETAIL", idQualifier: "9", id: "0003947268292", addressLines: [{ line1: "31875 SOLON RD" }], city: "SOLON", state: "OH", postalCode: "44139" },
      lineItemCount: 6
    })
    const lines = r.json["lines"] as JsonObject[]
    expect(lines).toHaveLength(6)
    expect(lines[0]).toMatchObject({ lineNumber: "1", quantity: 120, uom: "EA", unitPrice: 9.25, buyerPartNumber: "065322-117", vendorPartNumber: "AB3542", description: "SMALL WIDGET", pack: { pack: 4, size: 4, sizeUom: "EA" } })
  })

  it("bigbox 850 differs: REF*DP required, cases only", () => {
    const big = guideOf("bigbox-retail", "850")
    const ok = structure(firstSet(fixture("derived/bigbox-850.edi")), big)
    expect(ok.findings).toEqual([])
    expect(ok.json["department"]).toBe("038")
    const eaches = structure(firstSet(fixture("olmelabs-EdiEngine/850.OK.edi")), big)
    expect(codes(eaches.findings)).toEqual(["AK4:7"])
    expect(eaches.findings[0]).toMatchObject({ segmentId: "PO1", element: 3, segment: 13, value: "EA", loopId: "PO1" })
    const noDept = structure(firstSet(fixture("derived/bigbox-850.edi").toString("latin1").replace("REF*DP*038\n", "").replace("SE*33", "SE*32")), big)
    expect(codes(noDept.findings)).toEqual(["AK3:3"])
    expect(noDept.findings[0]).toMatchObject({ segmentId: "REF", segment: 4 })
  })

  it("850.SyntaxNotes.ERR: paired PO106/PO107 and conditional PO405→PO406 (AK4 2)", () => {
    const r = structure(firstSet(fixture("olmelabs-EdiEngine/850.SyntaxNotes.ERR.edi")), guideOf("corner-market", "850"))
    expect(r.findings.map((f) => [f.code, f.segmentId, f.segment, f.element])).toEqual([
      ["AK4:2", "PO1", 13, 7],
      ["AK4:2", "PO4", 30, 6],
      ["AK4:2", "PO4", 30, 6]
    ])
  })

  it("required loop N1*ST, line count, unexpected and out-of-order segments, element rules", () => {
    const g = guideOf("corner-market", "850")
    const base = fixture("olmelabs-EdiEngine/850.OK.edi").toString("latin1")
    const noShipTo = structure(firstSet(base.replace("N1*ST*", "N1*BT*")), g)
    expect(codes(noShipTo.findings)).toEqual(["AK3:3"])
    expect(noShipTo.findings[0]).toMatchObject({ segmentId: "N1", loopId: "N1" })
    expect(codes(structure(firstSet(base.replace("CTT*6", "CTT*5")), g).findings)).toEqual(["GUIDE:line-count"])
    expect(codes(structure(firstSet(base.replace("AMT*1*", "ZZZ*1*")), g).findings)).toEqual(["AK3:2"])
    expect(codes(structure(firstSet(base.replace("CTT*6\nAMT*1*13045.94", "AMT*1*13045.94\nCTT*6")), g).findings)).toEqual(["AK3:3", "AK3:7"])
    const bad = base.replace("BEG*00*SA*08292233294**20101127", "BEG*99*SA*082922332940123456789012345**20101332").replace("PO1*1*120*", "PO1*1*1X0*")
    expect(codes(structure(firstSet(bad), g).findings)).toEqual(["AK4:5", "AK4:6", "AK4:7", "AK4:8"])
    expect(codes(structure(firstSet(base.replace("PID*F****SMALL WIDGET", "PID*F****SMALL WIDGET*X*Y")), g).findings)).toEqual(["AK4:3"])
  })

  it("guideJsonSchema describes exactly what structure produces", () => {
    const check = (partner: string, file: string) => {
      const guide = guideOf(partner, "850")
      const json = structure(firstSet(fixture(file)), guide).json
      const validate = ajv().compile(guideJsonSchema(guide))
      expect(validate(json), JSON.stringify(validate.errors)).toBe(true)
      expect(validate({ ...json, extra: 1 })).toBe(false)
    }
    check("corner-market", "olmelabs-EdiEngine/850.OK.edi")
    check("bigbox-retail", "derived/bigbox-850.edi")
    const schema = guideJsonSchema(guideOf("corner-market", "850")) as { properties: Record<string, { items?: { properties?: Record<string, unknown> } }>; required: string[] }
    expect(schema.required).toEqual(expect.arrayContaining(["poNumber", "shipTo", "lines", "lineItemCount"]))
    expect(Object.keys(schema.properties["lines"]!.items!.properties!)).toEqual(
      expect.arrayContaining(["quantity", "uom", "unitPrice", "buyerPartNumber", "vendorPartNumber", "upc", "description", "pack"])
    )
  })

  it("fromJson is the inverse of structure (850 round trip through JSON)", () => {
    for (const [partner, file] of [["corner-market", "olmelabs-EdiEngine/850.OK.edi"], ["bigbox-retail", "derived/bigbox-850.edi"]] as const) {
      const guide = guideOf(partner, "850")
      const set = firstSet(fixture(file))
      const json = structure(set, guide).json
      const body = fromJson(json, guide, DEFAULT_DELIMITERS)
      // same segments as the original body, element for element
      expect(body.map((s) => s.elements)).toEqual(set.segments.slice(1, -1).map((s) => s.elements))
      const text = envelope({
        identity: { senderQualifier: "ZZ", senderId: "US", receiverQualifier: "ZZ", receiverId: "THEM" },
        control: 7,
        date: new Date(Date.UTC(2024, 0, 2, 3, 4)),
        groups: [{ functionalId: "PO", version: "004010", control: 7, sets: [{ id: "850", control: 1, body }] }]
      })
      const again = parse(text)
      expect(again.findings).toEqual([])
      expect(structure(again.interchanges[0]!.groups[0]!.sets[0]!, guide)).toEqual({ json, findings: [] })
    }
  })
})

describe("outbound 856 (HL hierarchy)", () => {
  const item = (n: number) => ({ lineNumber: String(n), vendorPartNumber: `VP${n}`, upc: `0000000000${n}`, quantityShipped: 2 * n, uom: "CA" })
  const json: JsonObject = {
    purposeCode: "00",
    shipmentId: "SHP1",
    shipDate: "20240102",
    shipTime: "1015",
    hierarchyStructure: "0001",
    shipment: {
      lading: { packagingCode: "CTN25", quantity: 3, weightQualifier: "G", weight: 12.5, weightUom: "LB" },
      carrier: { idQualifier: "2", scac: "UPSN" },
      billOfLading: "BOL1",
      shipDate: "20240102",
      shipTo: { name: "BIGBOX DC 7", idQualifier: "92", id: "0007" },
      orders: [
        { poNumber: "PO-1", department: "038", packs: [{ sscc: "000123450000000017", items: [item(1), item(2)] }, { sscc: "000123450000000024", items: [item(3)] }] },
        { poNumber: "PO-2", department: "039", packs: [{ sscc: "000123450000000031", items: [item(4)] }] }
      ]
    },
    hlCount: 0
  }

  it("numbers HL01 sequentially, HL02 points back, HL03 S→O→P→I, CTT01 counts HL; it re-structures to the same JSON", () => {
    const guide = guideOf("bigbox-retail", "856")
    const body = fromJson(json, guide)
    const hls = body.filter((s) => s.elements[0] === "HL").map((s) => s.elements.slice(1))
    expect(hls).toEqual([
      ["1", "", "S", "1"],
      ["2", "1", "O", "1"],
      ["3", "2", "P", "1"],
      ["4", "3", "I", "0"],
      ["5", "3", "I", "0"],
      ["6", "2", "P", "1"],
      ["7", "6", "I", "0"],
      ["8", "1", "O", "1"],
      ["9", "8", "P", "1"],
      ["10", "9", "I", "0"]
    ])
    const ctt = body.find((s) => s.elements[0] === "CTT")!
    expect(ctt.elements[1]).toBe("10")
    const text = "ISA*00*          *00*          *ZZ*US             *ZZ*BIGBOX         *240102*1015*U*00401*000000001*0*P*>~\nGS*SH*US*BIGBOX*20240102*1015*1*X*004010~\nST*856*0001~\n" +
      serializeSegments(body) + `SE*${body.length + 2}*0001~\nGE*1*1~\nIEA*1*000000001~\n`
    const set = firstSet(text)
    const r = structure(set, guide)
    expect(r.findings).toEqual([])
    expect(r.json).toEqual({ ...json, hlCount: 10 })
  })

  it("corner-market 856 is S→O→I and rejects a pack level", () => {
    const guide = guideOf("corner-market", "856")
    const corner: JsonObject = { ...json, hierarchyStructure: "0002", shipment: { ...(json["shipment"] as JsonObject), orders: [{ poNumber: "PO-3", items: [{ ...item(1), uom: "EA" }] }] } }
    const body = fromJson(corner, guide)
    expect(body.filter((s) => s.elements[0] === "HL").map((s) => s.elements.slice(1, 4))).toEqual([["1", "", "S"], ["2", "1", "O"], ["3", "2", "I"]])
    const bigboxBody = fromJson(json, guideOf("bigbox-retail", "856"))
    const text = "ISA*00*          *00*          *ZZ*US             *ZZ*CORNER         *240102*1015*U*00401*000000001*0*P*>~GS*SH*US*CORNER*20240102*1015*1*X*004010~ST*856*0001~" +
      serializeSegments(bigboxBody, { ...DEFAULT_DELIMITERS, suffix: "" }) + `SE*${bigboxBody.length + 2}*0001~GE*1*1~IEA*1*000000001~`
    expect(codes(structure(firstSet(text), guide).findings)).toContain("GUIDE:hl-level")
  })

  it("HL numbering errors are reported", () => {
    const guide = guideOf("corner-market", "856")
    const body = fromJson({ ...json, hierarchyStructure: "0002", shipment: { ...(json["shipment"] as JsonObject), orders: [{ poNumber: "PO-3", items: [{ ...item(1), uom: "EA" }] }] } }, guide)
    const text = "ISA*00*          *00*          *ZZ*US             *ZZ*CORNER         *240102*1015*U*00401*000000001*0*P*>~GS*SH*US*CORNER*20240102*1015*1*X*004010~ST*856*0001~" +
      serializeSegments(body, { ...DEFAULT_DELIMITERS, suffix: "" }).replace("HL*3*2*I", "HL*4*9*I") + `SE*${body.length + 2}*0001~GE*1*1~IEA*1*000000001~`
    expect(codes(structure(firstSet(text), guide).findings)).toEqual(expect.arrayContaining(["GUIDE:hl-sequence", "GUIDE:hl-parent"]))
  })
})
