// validate on the synthetic organisation (500 partners, ~2,000 mappings) against a floor measured in the
// same process on the same files: yaml parsing plus ajv validation of every document against its kind's
// schema (and JSON.parse of every JSON file). Target: validate ≤ 2× the floor.
import { rmSync } from "node:fs"
import { parseAllDocuments } from "yaml"
import { guideShape } from "../compiler/cli/guide-shape.ts"
import { loadProject, isSpecPath } from "../compiler/source/source.ts"
import type { SourceFile } from "../compiler/source/source.ts"
import { validateSources } from "../compiler/validate/index.ts"
import { makeAjv } from "../compiler/validate/schema.ts"
import { KINDS, SCHEMAS } from "../compiler/schemas/index.ts"
import type { Kind } from "../compiler/schemas/index.ts"
import { writeSyntheticOrg } from "./synthetic.ts"

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

export const floor = (files: ReadonlyArray<SourceFile>, validators: Map<string, (v: unknown) => boolean>): number => {
  let documents = 0
  for (const f of files) {
    if (isSpecPath(f.path)) {
      for (const doc of parseAllDocuments(f.text)) {
        const value = doc.toJS() as { kind?: string } | null
        const v = validators.get(String(value?.kind))
        if (v) v(value)
        documents++
      }
    } else if (f.path.endsWith(".json")) JSON.parse(f.text)
  }
  return documents
}

export const run = async (): Promise<void> => {
  const { dir, org } = writeSyntheticOrg()
  try {
    const files = loadProject(dir).files
    process.stdout.write(`synthetic organisation: ${org.partners} partners, ${org.mappings} mappings, ${org.flows} flows, ${files.length} files\n`)
    const ajv = makeAjv()
    const validators = new Map<string, (v: unknown) => boolean>(KINDS.map((k: Kind) => [k, ajv.compile(SCHEMAS[k]) as (v: unknown) => boolean]))
    // Warm both paths once (module loading, ajv compilation, JIT).
    floor(files, validators)
    const first = validateSources(files, { guideShape })
    const errors = first.diagnostics.filter((d) => d.severity === "error")
    if (errors.length > 0) throw new Error(`the synthetic organisation does not validate: ${errors[0]!.file} ${errors[0]!.code} ${errors[0]!.message}`)
    const floorMs: number[] = []
    const validateMs: number[] = []
    for (let i = 0; i < 3; i++) {
      let t = performance.now()
      floor(files, validators)
      floorMs.push(performance.now() - t)
      t = performance.now()
      validateSources(files, { guideShape })
      validateMs.push(performance.now() - t)
    }
    const f = median(floorMs)
    const v = median(validateMs)
    process.stdout.write(`floor (yaml parse + ajv schema validation): ${f.toFixed(0)} ms\n`)
    process.stdout.write(`validate:                                  ${v.toFixed(0)} ms\n`)
    process.stdout.write(`ratio: ${(v / f).toFixed(2)}× (target ≤ 2×)\n`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
