import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { parse, parseAll, parseEvents, type Finding } from "../../runtime/edi/index.ts"
import { fixture, make850 } from "./helpers.ts"

const positioned = (f: Finding) =>
  Number.isInteger(f.offset) && f.offset >= 0 && f.line >= 1 && f.column >= 1 && typeof f.code === "string" && /^[A-Z0-9]+:[A-Za-z0-9-]+$/.test(f.code)

const SAMPLES = ["olmelabs-EdiEngine/850.OK.edi", "node-x12/856.edi", "pyx12/binary_delimiters_0x1C-0x1F.x12", "imsweb-x12-parser/x12_999_rejected.txt"].map((f) => fixture(f))

describe("fuzzing the tokenizer and parser", () => {
  it("random bytes: no crash, every finding positioned", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const r = parse(bytes)
        expect(r.findings.every(positioned)).toBe(true)
      }),
      { numRuns: 1500 }
    )
  })

  it("mutated real interchanges (flip, delete, insert delimiters): no crash, rejections positioned, offsets inside the input", () => {
    const alphabet = ["*", "~", "\n", ">", "^", "ISA", "IEA", "GS", "GE", "ST", "SE", "\x1a", "\r\n", "", "X"]
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: SAMPLES.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.constantFrom(...alphabet)), { minLength: 1, maxLength: 8 }),
        (which, edits) => {
          let text = SAMPLES[which]!.toString("latin1")
          for (const [at, len, ins] of edits) {
            const i = at % (text.length + 1)
            text = text.slice(0, i) + ins + text.slice(i + len)
          }
          const r = parse(text)
          for (const f of r.findings) {
            expect(positioned(f)).toBe(true)
            expect(f.offset).toBeLessThanOrEqual(text.length)
          }
        }
      ),
      { numRuns: 1500 }
    )
  })

  it("chunking never changes the result", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat({ max: 2000 }), { maxLength: 6 }), async (cuts) => {
        const bytes = Buffer.from(make850({ lines: 5 }) + make850({ isa13: "000000002", el: "|", seg: "\n", nl: "" }))
        const points = [...new Set(cuts.map((c) => c % bytes.length))].sort((a, b) => a - b)
        const chunks: Uint8Array[] = []
        let prev = 0
        for (const p of [...points, bytes.length]) {
          chunks.push(bytes.subarray(prev, p))
          prev = p
        }
        const streamed = await parseAll(chunks)
        const whole = parse(bytes)
        expect(JSON.stringify(streamed)).toEqual(JSON.stringify(whole))
      }),
      { numRuns: 200 }
    )
  })
})

describe("streaming", () => {
  it("a 50 MB stream of one big interchange is parsed with bounded memory", async () => {
    const setText = (i: number) => {
      const c = String(i).padStart(9, "0")
      return `ST*850*${c}~BEG*00*SA*PO${i}**20240101~REF*DP*038~N1*ST*STORE ${i}*92*0001~N3*1 MAIN ST~N4*SOLON*OH*44139~PO1*1*10*EA*1.5**VN*SKU1~PID*F****WIDGET~PO1*2*20*EA*2.5**VN*SKU2~PID*F****GADGET~CTT*2~SE*12*${c}~`
    }
    const header = "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*U*00401*000000001*0*P*>~GS*PO*SENDER*RECEIVER*20240101*1200*1*X*004010~"
    const per = Buffer.byteLength(setText(1))
    const sets = Math.ceil((50 * 1024 * 1024) / per)
    async function* source() {
      yield Buffer.from(header)
      const batch = 200
      for (let i = 1; i <= sets; i += batch) {
        let s = ""
        for (let j = i; j < Math.min(i + batch, sets + 1); j++) s += setText(j)
        yield Buffer.from(s)
      }
      yield Buffer.from(`GE*${sets}*1~IEA*1*000000001~`)
    }
    global.gc?.()
    const before = process.memoryUsage().heapUsed
    let peak = before
    let count = 0
    let findings = 0
    for await (const e of parseEvents(source())) {
      if (e.type === "set") {
        count++
        if (count % 20000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed)
      } else if (e.type === "finding") findings++
    }
    expect(count).toBe(sets)
    expect(findings).toBe(0)
    // 50 MB went through; the heap grew by far less than the input.
    expect(peak - before).toBeLessThan(40 * 1024 * 1024)
  }, 60_000)
})
