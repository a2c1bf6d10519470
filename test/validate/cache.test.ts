// The validate cache (compiler/validate/cache.ts) changes nothing but speed: with a cold cache, a warm
// one, or one warmed on other files, validate gives the same findings (every field) and the same model
// as without; a changed file is parsed again, and a damaged or foreign cache is not trusted.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it, vi } from "vitest"
import { parse } from "yaml"
import { ediHooks } from "../../compiler/cli/guide-shape.ts"
import { documentDigestOf } from "../../compiler/model/digest.ts"
import type { Model } from "../../compiler/model/model.ts"
import type { SourceFile } from "../../compiler/source/source.ts"
import { loadProject } from "../../compiler/source/source.ts"
import { fileValidateCache, memoryValidateCache, VALIDATE_CACHE } from "../../compiler/validate/cache.ts"
import type { ValidateCache } from "../../compiler/validate/cache.ts"
import { validateSources } from "../../compiler/validate/index.ts"
import type { ValidateResult } from "../../compiler/validate/index.ts"
import { applyPatches, readTree } from "../support/org.ts"
import type { Patch } from "../support/org.ts"

const here = import.meta.dirname
const REPO = join(here, "../..")
const base = readTree(join(here, "../diagnostics/base"))
const caseDir = join(here, "../diagnostics/cases")
const cases = readdirSync(caseDir)
  .filter((f) => f.endsWith(".yaml"))
  .sort()
  .map((f) => ({ name: f, patches: (parse(readFileSync(join(caseDir, f), "utf8")) as { patches: Patch[] }).patches }))

/** The model as data: maps and sets as lists, each document as its file, index and value. */
const modelData = (model: Model): string =>
  JSON.stringify(model, (_k, v: unknown) => {
    if (v instanceof Map) return [...v]
    if (v instanceof Set) return [...v]
    if (typeof v === "object" && v !== null && typeof (v as { locate?: unknown }).locate === "function") {
      const d = v as { file: string; index: number; value: unknown; broken?: boolean }
      return { file: d.file, index: d.index, value: d.value, broken: d.broken === true }
    }
    return v
  })

/** Findings, model, and where a few nodes of every document are (positions come from a parse on demand when cached). */
const observe = (r: ValidateResult) => ({
  diagnostics: r.diagnostics,
  model: modelData(r.model),
  positions: r.documents.map(({ doc }) => [doc.file, doc.index, doc.locate([]), doc.locate(["metadata", "name"]), doc.locate(["spec"], true), doc.locateIn(["metadata", "name"], 1)])
})

const validate = (files: ReadonlyArray<SourceFile>, cache?: ValidateCache) => observe(validateSources(files, { ...ediHooks, ...(cache ? { cache } : {}) }))

/** Counts the files a cache serves. */
const counting = (cache: ValidateCache): ValidateCache & { hits: number } => {
  const c = {
    ...cache,
    hits: 0,
    get: (path: string, text: string) => {
      const f = cache.get(path, text)
      if (f !== undefined) c.hits++
      return f
    }
  }
  return c
}

const scratch = mkdtempSync(join(tmpdir(), "tradelane-validate-cache-"))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe("validate cache", () => {
  it("gives the same findings, model and positions cold, warm, and after one file changes (example organisation)", () => {
    const files = loadProject(REPO).files
    const plain = validate(files)
    const memory = memoryValidateCache()
    const cache = counting(memory)
    expect(validate(files, cache)).toEqual(plain)
    expect(cache.hits).toBe(0)
    expect(memory.size()).toBeGreaterThan(20)
    expect(validate(files, cache)).toEqual(plain)
    expect(cache.hits).toBe(memory.size())
    cache.hits = 0
    // One mapping and one payload schema change: the result is what an uncached run gives.
    const changed = files.map((f) =>
      f.path === "partners/amazon-us/mappings/amazon-order-to-order.yaml"
        ? { ...f, text: f.text.replace("quantity:", "qty:") }
        : f.path === "partners/amazon-us/schemas/Order.schema.json"
          ? { ...f, text: f.text.replace('"description": "', '"description": "Changed. ') }
          : f
    )
    const after = validate(changed)
    expect(after.diagnostics.some((d) => d.code === "TL4001")).toBe(true)
    expect(validate(changed, cache)).toEqual(after)
    expect(cache.hits).toBe(memory.size() - 2)
    expect(validate(files, cache)).toEqual(plain)
  })

  it("does not parse a payload schema seen before unless something reads it, and checks a changed one against its new text", () => {
    const files = loadProject(REPO).files
    const path = "partners/amazon-us/schemas/Order.schema.json"
    const text = files.find((f) => f.path === path)!.text
    const cache = memoryValidateCache()
    const plain = validate(files)
    validate(files, cache)
    const parse = vi.spyOn(JSON, "parse")
    let warm: ValidateResult
    try {
      warm = validateSources(files, { ...ediHooks, cache })
      expect(parse.mock.calls.filter(([t]) => t === text)).toEqual([])
    } finally {
      parse.mockRestore()
    }
    // Known by the hash of its text; read, it is the file's JSON, and the result is an uncached run's.
    const schema = warm.model.partners.get("amazon-us")!.schemas.get("Order")!
    expect(documentDigestOf(schema.doc)).toMatch(/^json-sha1:[0-9a-f]{40}$/)
    expect(schema.schema).toEqual(JSON.parse(text))
    expect(observe(warm)).toEqual(plain)
    // A property the mapping reads is renamed: the warm run finds what an uncached run finds.
    const renamed = files.map((f) => (f.path === path ? { ...f, text: f.text.replaceAll('"AmazonOrderId"', '"AmazonOrderID"') } : f))
    const after = validate(renamed)
    expect(after.diagnostics.some((d) => d.file === "partners/amazon-us/mappings/amazon-order-to-order.yaml" && d.message.includes("AmazonOrderId"))).toBe(true)
    expect(validate(renamed, cache)).toEqual(after)
    expect(validate(files, cache)).toEqual(plain)
  })

  it("gives the same findings and model for every broken-spec case, on a cache warmed with the clean organisation", () => {
    const cache = memoryValidateCache()
    validate(base, cache)
    for (const c of cases) {
      const files = applyPatches(base, c.patches)
      const plain = validate(files)
      // Warm on the clean organisation (only the patched files miss), then warm on this case itself.
      validate(base, cache)
      expect(validate(files, cache), c.name).toEqual(plain)
      expect(validate(files, cache), c.name).toEqual(plain)
    }
  })

  it("ignores a damaged, truncated or foreign cache file, and rewrites it", () => {
    const files = loadProject(REPO).files
    const plain = validate(files)
    const root = join(scratch, "damaged")
    expect(validate(files, fileValidateCache(root))).toEqual(plain)
    const path = join(root, VALIDATE_CACHE)
    const good = readFileSync(path, "utf8")
    const lines = good.split("\n")
    // A value changed inside one entry (its hash no longer matches), one entry cut short, one not facts at all.
    const at = lines.findIndex((l) => l.includes("amazon-order-to-order.yaml"))
    const damaged = [...lines]
    damaged[at] = lines[at]!.replace("amazon-order-to-order", "amazon-order-to-orders")
    damaged[at + 1] = lines[at + 1]!.slice(0, lines[at + 1]!.length / 2)
    const [key] = lines[at + 2]!.split("\t")
    damaged[at + 2] = `${key}\t{"k":"yaml","documents":"nope","diagnostics":[]}`
    writeFileSync(path, damaged.join("\n"))
    expect(validate(files, fileValidateCache(root))).toEqual(plain)
    for (const text of ["", "not json\n", good.slice(0, good.length / 3), good.replace(/"fingerprint":"[0-9a-f]+"/, '"fingerprint":"other"')]) {
      writeFileSync(path, text)
      expect(validate(files, fileValidateCache(root))).toEqual(plain)
      // Repaired: the next run is served every file.
      const again = counting(fileValidateCache(root))
      expect(validate(files, again)).toEqual(plain)
      expect(again.hits).toBe(lines.length - 2)
    }
  })

  it("does not cache a file whose values would not survive JSON (then it is parsed every time)", () => {
    const files = [
      ...base,
      { path: "specs/entities/odd.yaml", text: "apiVersion: tradelane/v1\nkind: CanonicalEntity\nmetadata: { name: odd }\nspec:\n  version: 1\n  key: id\n  schema: { type: object, maximum: .inf, properties: { id: { type: string } } }\n" }
    ]
    const cache = memoryValidateCache()
    const plain = validate(files)
    expect(validate(files, cache)).toEqual(plain)
    expect(validate(files, cache)).toEqual(plain)
    expect(cache.size()).toBe(base.filter((f) => /\.(ya?ml|json)$/.test(f.path) && !f.path.includes("/tests/")).length)
  })
})
