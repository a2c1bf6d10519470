// `npm run bench -- edi`: parse + envelope validation of one multi-megabyte synthetic 850 file (many ST in
// one GS), in MB/s, for our reader, node-x12's X12Parser and a bare split on the segment and element
// delimiters, all in this process on the same bytes. Then a 1 GB file streamed through `parseEvents` in a
// child process (so its peak RSS is its own), reporting MB/s and peak RSS.
// Knobs: EDI_BENCH_MB (in-memory file size, default 16), EDI_BENCH_STREAM_MB (default 1024).
import { spawnSync } from "node:child_process"
import { createReadStream, createWriteStream, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const MB = 1024 * 1024

const setText = (i: number): string => {
  const c = String(i).padStart(9, "0")
  return (
    `ST*850*${c}~BEG*00*SA*PO${i}**20240101~REF*DP*038~DTM*002*20240115~N1*ST*STORE ${i % 500}*92*${String(i % 500).padStart(4, "0")}~` +
    `N3*31875 SOLON RD~N4*SOLON*OH*44139~PO1*1*120*CA*9.25*TE*CB*065322-117*VN*AB3542~PID*F****SMALL WIDGET~` +
    `PO1*2*220*CA*13.79*TE*CB*066850-116*VN*RD5322~PID*F****MEDIUM WIDGET~PO1*3*126*CA*10.99*TE*CB*060733-110*VN*XY5266~` +
    `PID*F****LARGE WIDGET~CTT*3~SE*15*${c}~`
  )
}
const HEADER =
  "ISA*00*          *00*          *ZZ*BIGBOX         *ZZ*DISTRIB        *240101*1200*U*00401*000000001*0*P*>~GS*PO*BIGBOX*DISTRIB*20240101*1200*1*X*004010~"
const trailer = (sets: number) => `GE*${sets}*1~IEA*1*000000001~`

const synthetic = (bytes: number): { buf: Buffer; sets: number } => {
  const parts: string[] = [HEADER]
  let size = HEADER.length
  let sets = 0
  while (size < bytes) {
    const s = setText(++sets)
    parts.push(s)
    size += s.length
  }
  parts.push(trailer(sets))
  return { buf: Buffer.from(parts.join(""), "latin1"), sets }
}

interface Candidate {
  readonly label: string
  /** How many timed rounds this one takes part in (node-x12 is slow: fewer). */
  readonly rounds: number
  readonly fn: () => number
}

/** Best MB/s per candidate. Rounds interleave the candidates, so a busy machine slows them alike and the
 * ratios stay meaningful. Each candidate's result count is checked once before timing. */
const measureAll = (bytes: number, expected: number, rounds: number, candidates: readonly Candidate[]): number[] => {
  for (const c of candidates) {
    const got = c.fn()
    if (got !== expected) throw new Error(`${c.label}: counted ${got}, expected ${expected}`)
  }
  const best = candidates.map(() => Infinity)
  for (let r = 0; r < rounds; r++) {
    candidates.forEach((c, i) => {
      if (r >= c.rounds) return
      const t = process.hrtime.bigint()
      c.fn()
      best[i] = Math.min(best[i]!, Number(process.hrtime.bigint() - t) / 1e6)
    })
  }
  return best.map((ms) => bytes / MB / (ms / 1000))
}

/** Writes the big synthetic file (in the parent, so the child measures parsing only). */
const writeBigFile = async (file: string, mb: number): Promise<{ size: number; sets: number }> => {
  const out = createWriteStream(file)
  let sets = 0
  let size = 0
  const write = (s: string) => new Promise<void>((resolve) => (out.write(s) ? resolve() : out.once("drain", resolve)))
  await write(HEADER)
  while (size < mb * MB) {
    let chunk = ""
    for (let i = 0; i < 2000; i++) chunk += setText(++sets)
    size += chunk.length
    await write(chunk)
  }
  await write(trailer(sets))
  await new Promise<void>((resolve) => out.end(resolve))
  return { size, sets }
}

const streamChild = async (file: string): Promise<void> => {
  const { parseEventBatches } = await import("../runtime/edi/internal/parse.ts")
  const rssBefore = process.memoryUsage().rss
  let peak = rssBefore
  let count = 0
  let findings = 0
  let batches = 0
  const t = process.hrtime.bigint()
  for await (const batch of parseEventBatches(createReadStream(file, { highWaterMark: MB }))) {
    for (const e of batch) {
      if (e.type === "set") count++
      else if (e.type === "finding") findings++
    }
    if (++batches % 64 === 0) peak = Math.max(peak, process.memoryUsage().rss)
  }
  const secs = Number(process.hrtime.bigint() - t) / 1e9
  peak = Math.max(peak, process.memoryUsage().rss)
  const maxRss = process.resourceUsage().maxRSS * 1024
  process.stdout.write(JSON.stringify({ sets: count, findings, secs, rssBefore, peak, maxRss }) + "\n")
}

export async function run(): Promise<void> {
  const { X12Parser } = await import("node-x12")
  const { parse, X12Reader } = await import("../runtime/edi/index.ts")
  const size = Number(process.env["EDI_BENCH_MB"] ?? 16) * MB
  const { buf, sets } = synthetic(size)
  const mb = buf.length / MB
  process.stdout.write(`synthetic 850: ${mb.toFixed(1)} MB, ${sets} transaction sets in one GS\n`)

  const [ours, oursTree, nodeX12, split] = measureAll(buf.length, sets, 7, [
    {
      // Streaming use (what the runtime does): parse + envelope validation, each set handed to a consumer.
      label: "tradelane",
      rounds: 7,
      fn: () => {
        let n = 0
        let findings = 0
        const reader = new X12Reader((e) => {
          if (e.type === "set") n++
          else if (e.type === "finding") findings++
        })
        reader.push(buf.toString("latin1"))
        reader.end()
        if (findings > 0) throw new Error(`unexpected findings: ${findings}`)
        return n
      }
    },
    {
      // The same, but materialising every interchange/group/set/segment in memory (parse()).
      label: "tradelane parse()",
      rounds: 4,
      fn: () => {
        const r = parse(buf)
        if (r.findings.length > 0) throw new Error(`unexpected findings: ${r.findings[0]!.message}`)
        return r.interchanges[0]!.groups[0]!.sets.length
      }
    },
    {
      label: "node-x12",
      rounds: 2,
      fn: () => {
        const ic = new X12Parser(true).parse(buf.toString("latin1")) as { functionalGroups: Array<{ transactions: unknown[] }> }
        return ic.functionalGroups[0]!.transactions.length
      }
    },
    {
      label: "split",
      rounds: 7,
      fn: () => {
        const segs = buf.toString("latin1").split("~")
        let st = 0
        for (const s of segs) if (s.split("*")[0] === "ST") st++
        return st
      }
    }
  ]) as [number, number, number, number]
  const row = (name: string, v: number) => `  ${name.padEnd(34)} ${v.toFixed(1).padStart(8)} MB/s\n`
  process.stdout.write(
    row("tradelane X12Reader (streaming)", ours) +
      row("tradelane parse() (whole tree)", oursTree) +
      row("node-x12 X12Parser(strict)", nodeX12) +
      row("bare split (segment, element)", split)
  )
  process.stdout.write(
    `  ratios (streaming): ${(ours / nodeX12).toFixed(1)}× node-x12 (target ≥ 10×), ${(ours / split).toFixed(2)}× bare split (target ≥ 0.7×)\n` +
      `  ratios (parse()):   ${(oursTree / nodeX12).toFixed(1)}× node-x12, ${(oursTree / split).toFixed(2)}× bare split\n`
  )

  const streamMb = Number(process.env["EDI_BENCH_STREAM_MB"] ?? 1024)
  const file = join(tmpdir(), `tradelane-edi-bench-${process.pid}.x12`)
  process.stdout.write(`writing a ${streamMb} MB file, then streaming it through parseEventBatches in a child process…\n`)
  try {
    const { size, sets: bigSets } = await writeBigFile(file, streamMb)
    const child = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--edi-stream-child", file], {
      encoding: "utf8",
      maxBuffer: 16 * MB
    })
    if (child.status !== 0) {
      process.stdout.write(`  stream run failed: ${child.stderr.slice(0, 2000)}\n`)
      return
    }
    const s = JSON.parse(child.stdout.trim().split("\n").pop()!) as { sets: number; findings: number; secs: number; rssBefore: number; peak: number; maxRss: number }
    const mbs = size / MB
    process.stdout.write(
      `  ${mbs.toFixed(0)} MB, ${s.sets} sets (${s.findings} findings) in ${s.secs.toFixed(1)} s = ${(mbs / s.secs).toFixed(1)} MB/s; ` +
        `RSS ${(s.rssBefore / MB).toFixed(0)} MB at start, peak ${(s.peak / MB).toFixed(0)} MB sampled, maxRSS ${(s.maxRss / MB).toFixed(0)} MB (target ≤ 200 MB)\n`
    )
    if (s.sets !== bigSets) process.stdout.write(`  WARNING: counted ${s.sets} sets, expected ${bigSets}\n`)
  } finally {
    rmSync(file, { force: true })
  }
}

const childAt = process.argv.indexOf("--edi-stream-child")
if (childAt >= 0) await streamChild(process.argv[childAt + 1]!)
