// compile on the synthetic organisation (500 partners, ~2,000 mappings): a full compile into an empty
// tree with a cold cache, then a recompile after one partner changes (warm cache: only the units that
// depend on the change are emitted again). Each includes load, validate, emit and write, as
// `tradelane compile` does, with both caches (validate: .tradelane/cache/validate.jsonl; emit:
// .tradelane/cache/emit.json). Targets: full ≤ 20 s, incremental ≤ 1.5 s (median of three partners).
import { readFileSync, rmSync, writeFileSync } from "node:fs"
import { availableParallelism, loadavg as osLoadavg } from "node:os"
import { join } from "node:path"
import { guideShape } from "../compiler/cli/guide-shape.ts"
import { emitterFingerprint, fileCache } from "../compiler/emit/cache.ts"
import { compileModel } from "../compiler/emit/index.ts"
import type { CompileOutput } from "../compiler/emit/index.ts"
import { applyDiff, diffTree } from "../compiler/emit/write.ts"
import { loadProject } from "../compiler/source/source.ts"
import { fileValidateCache } from "../compiler/validate/cache.ts"
import { validateSources } from "../compiler/validate/index.ts"
import { writeSyntheticOrg } from "./synthetic.ts"

interface Timed {
  readonly load: number
  readonly validate: number
  readonly emit: number
  readonly write: number
  readonly total: number
  /** CPU time of this process (all its threads) over the run: less sensitive than wall time to other processes. */
  readonly cpu: number
  /** What the report prints of the output (not the output itself: a compile run by the CLI does not hold the previous one's files, ~11,000 texts, while it runs). */
  readonly stats: CompileOutput["stats"]
  readonly files: number
  readonly written: number
}

const compileOnce = async (dir: string): Promise<Timed> => {
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const files = loadProject(dir).files
  const t1 = performance.now()
  const validated = validateSources(files, { guideShape, cache: fileValidateCache(dir) })
  const errors = validated.diagnostics.filter((d) => d.severity === "error")
  if (errors.length > 0) throw new Error(`does not validate: ${errors[0]!.file} ${errors[0]!.code} ${errors[0]!.message}`)
  const t2 = performance.now()
  const cache = fileCache(dir)
  const output = await compileModel(validated.model, { guideShape, cache, fingerprint: emitterFingerprint() })
  if (output.diagnostics.some((d) => d.severity === "error")) throw new Error(`does not compile: ${output.diagnostics[0]!.message}`)
  const t3 = performance.now()
  const diff = diffTree(dir, output.files, cache.tree)
  applyDiff(dir, output.files, diff, cache.tree)
  cache.save()
  const t4 = performance.now()
  const cpu = process.cpuUsage(cpu0)
  return { load: t1 - t0, validate: t2 - t1, emit: t3 - t2, write: t4 - t3, total: t4 - t0, cpu: (cpu.user + cpu.system) / 1000, stats: output.stats, files: output.files.length, written: diff.drifted.length + diff.missing.length }
}

const loadavg = (): string => loadavg1().map((l) => l.toFixed(2)).join(", ")
const loadavg1 = (): number[] => osLoadavg()

const report = (label: string, t: Timed, target: number): void => {
  const ms = t.stats.ms
  process.stdout.write(
    `${label}: ${(t.total / 1000).toFixed(2)} s (target ≤ ${target} s: ${(t.total / 1000 / target).toFixed(2)}× the target; CPU ${(t.cpu / 1000).toFixed(2)} s) — load ${t.load.toFixed(0)} ms, validate ${t.validate.toFixed(0)} ms, emit ${t.emit.toFixed(0)} ms, write ${t.write.toFixed(0)} ms\n` +
      `  units ${t.stats.units}, from cache ${t.stats.cached}, shared ${t.stats.shared}; emitting: types+validators ${ms.shape.toFixed(0)} ms, mappings ${ms.mapping.toFixed(0)} ms, flows ${ms.flow.toFixed(0)} ms, organisation-wide ${ms.organisation.toFixed(0)} ms; ${t.written} files written of ${t.files}\n`
  )
}

/** One partner changes: a payload schema (its description) and a mapping expression. */
const changePartner = (dir: string, org: { readonly partnerFile: (i: number, rel: string) => string }, i: number): void => {
  const schema = join(dir, org.partnerFile(i, "schemas/Order.schema.json"))
  writeFileSync(schema, readFileSync(schema, "utf8").replace(/"description": "/, '"description": "Changed. '))
  const name = `mkt-${String(i).padStart(4, "0")}`
  const mapping = join(dir, org.partnerFile(i, `mappings/${name}-amazon-order-to-order.yaml`))
  writeFileSync(mapping, readFileSync(mapping, "utf8").replace(`channel: "'amazon'"`, `channel: "'amazon' "`))
}

export const run = async (): Promise<void> => {
  const { dir, org } = writeSyntheticOrg()
  try {
    process.stdout.write(`synthetic organisation: ${org.partners} partners, ${org.mappings} mappings, ${org.flows} flows; ${availableParallelism()} cores, load average ${loadavg()}\n`)
    const full = await compileOnce(dir)
    report("full compile (cold cache)", full, 20)
    // Three recompiles, each after another partner changed; the median is the figure to compare.
    const runs: Timed[] = []
    for (const i of [7, 8, 9]) {
      changePartner(dir, org, i)
      const t = await compileOnce(dir)
      runs.push(t)
      report(`recompile after partner ${i} changed`, t, 1.5)
    }
    const median = [...runs].sort((a, b) => a.total - b.total)[1]!
    process.stdout.write(`recompile after one partner changed (median of 3): ${(median.total / 1000).toFixed(2)} s (target ≤ 1.5 s: ${(median.total / 1000 / 1.5).toFixed(2)}× the target; CPU ${(median.cpu / 1000).toFixed(2)} s)\n`)
    process.stdout.write(`load average at the end: ${loadavg()} (on a loaded machine every figure is higher)\n`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
