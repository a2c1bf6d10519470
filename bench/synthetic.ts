// A synthetic organisation for the validate and compile benchmarks: the example organisation's shared
// specs (entities, events, lifecycles) and its ERP, WMS and Shopify partners, plus marketplace partners
// cloned from amazon-us (each with its own names and slightly different payload schemas, so nothing is
// shared between them) until there are `partners` partners; 4 mappings each, one flow every `flowEvery`.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, relative, resolve, sep } from "node:path"
import { fileURLToPath } from "node:url"
import type { SourceFile } from "../compiler/source/source.ts"

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..")

const read = (rel: string): string => readFileSync(join(REPO, rel), "utf8")

const treeOf = (rel: string): string[] => {
  const out: string[] = []
  const walk = (abs: string) => {
    for (const e of readdirSync(abs).sort()) {
      const p = join(abs, e)
      if (statSync(p).isDirectory()) walk(p)
      else out.push(relative(REPO, p).split(sep).join("/"))
    }
  }
  walk(join(REPO, rel))
  return out
}

export interface SyntheticOptions {
  readonly partners?: number
  /** One flow for every this many cloned partners (0: no flows). */
  readonly flowEvery?: number
}

export interface SyntheticOrg {
  readonly files: ReadonlyArray<SourceFile>
  readonly partners: number
  readonly mappings: number
  readonly flows: number
  /** The files of one cloned partner (for an incremental change). */
  readonly partnerFile: (i: number, rel: string) => string
}

const TEMPLATE = "amazon-us"
const FLOW_TEMPLATE = "specs/flows/amazon-order-intake.yaml"

export const cloneName = (i: number): string => `mkt-${String(i).padStart(4, "0")}`

/** The organisation as files in memory. */
export const syntheticOrg = (options: SyntheticOptions = {}): SyntheticOrg => {
  const total = options.partners ?? 500
  const flowEvery = options.flowEvery ?? 10
  const files: SourceFile[] = []
  const keep = (path: string) => files.push({ path, text: read(path) })
  for (const dir of ["specs/entities", "specs/events", "specs/lifecycles"]) treeOf(dir).forEach(keep)
  const base = ["erp", "wms", "shopify-main"]
  for (const p of base) treeOf(`partners/${p}`).filter((f) => !f.includes("/tests/")).forEach(keep)
  const templateFiles = treeOf(`partners/${TEMPLATE}`).filter((f) => !f.includes("/tests/"))
  const mappingNames = templateFiles.filter((f) => f.includes("/mappings/")).map((f) => f.replace(/^.*\/([^/]+)\.yaml$/, "$1"))
  // Longest first, so that no name is replaced inside a longer one.
  const renames = [...mappingNames].sort((a, b) => b.length - a.length)
  const clones = total - base.length
  let flows = 0
  for (let i = 1; i <= clones; i++) {
    const name = cloneName(i)
    const rename = (text: string): string => {
      let t = text
      for (const m of renames) t = t.split(m).join(`${name}-${m}`)
      return t.split(TEMPLATE).join(name)
    }
    for (const f of templateFiles) {
      let text = rename(read(f))
      if (f.endsWith(".schema.json")) text = text.replace(/"description": "/, `"description": "${name}: `)
      files.push({ path: rename(f), text })
    }
    if (flowEvery > 0 && i % flowEvery === 0) {
      flows++
      files.push({ path: `specs/flows/${name}-order-intake.yaml`, text: rename(read(FLOW_TEMPLATE)).split("amazon-order-intake").join(`${name}-order-intake`) })
    }
  }
  const mappings = files.filter((f) => /\/mappings\/[^/]+\.yaml$/.test(f.path)).length
  return {
    files: files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    partners: total,
    mappings,
    flows,
    partnerFile: (i, rel) => `partners/${cloneName(i)}/${rel}`
  }
}

/** Writes the organisation into a new temporary folder and returns its path. */
export const writeSyntheticOrg = (options: SyntheticOptions = {}): { readonly dir: string; readonly org: SyntheticOrg } => {
  const org = syntheticOrg(options)
  const dir = mkdtempSync(join(tmpdir(), "tradelane-synthetic-"))
  for (const f of org.files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true })
    writeFileSync(join(dir, f.path), f.text)
  }
  return { dir, org }
}
