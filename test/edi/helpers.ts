import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { loadGuides, type Finding, type Guide } from "../../runtime/edi/index.ts"

export const fixture = (path: string): Buffer => readFileSync(fileURLToPath(new URL(`../fixtures/x12/${path}`, import.meta.url)))
export const repoRoot = fileURLToPath(new URL("../../", import.meta.url))
export const guidesOf = (partner: string): Guide[] => loadGuides(repoRoot).guides.filter((g) => g.partner === partner).map((g) => g.guide)
export const guideOf = (partner: string, set: string): Guide => guidesOf(partner).find((g) => g.transactionSet === set)!
export const codes = (fs: readonly Finding[]): string[] => [...new Set(fs.filter((f) => f.severity === "error").map((f) => f.code))].sort()

/** A minimal 850 interchange with chosen delimiters. */
export const make850 = (o: { el?: string; comp?: string; seg?: string; nl?: string; isa13?: string; ack?: string; poNumber?: string; lines?: number } = {}): string => {
  const e = o.el ?? "*"
  const s = (o.seg ?? "~") + (o.nl ?? "\n")
  const isa13 = o.isa13 ?? "000000001"
  const n = o.lines ?? 2
  const body: string[][] = [["BEG", "00", "SA", o.poNumber ?? "PO1", "", "20240101"], ["N1", "ST", "STORE 1", "92", "0001"]]
  for (let i = 1; i <= n; i++) body.push(["PO1", String(i), "10", "EA", "1.5", "", "VN", `SKU${i}`])
  body.push(["CTT", String(n)])
  const segs = [
    ["ISA", "00", "          ", "00", "          ", "ZZ", "SENDER         ", "ZZ", "RECEIVER       ", "240101", "1200", "U", "00401", isa13, o.ack ?? "0", "P", o.comp ?? ">"],
    ["GS", "PO", "SENDER", "RECEIVER", "20240101", "1200", "1", "X", "004010"],
    ["ST", "850", "0001"],
    ...body,
    ["SE", String(body.length + 2), "0001"],
    ["GE", "1", "1"],
    ["IEA", "1", isa13]
  ]
  return segs.map((x) => x.join(e)).join(s) + s
}
