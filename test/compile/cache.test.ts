// The on-disk unit cache (compiler/emit/cache.ts): a manifest backed by generated/. Served units give the
// bytes a compile without cache gives; a changed spec misses exactly the units that depend on it; a
// generated file changed on disk is not trusted; a damaged manifest is a miss, never an error.
import { cpSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it, vi } from "vitest"
import { guideShape } from "../../compiler/cli/guide-shape.ts"
import { fileCache, MANIFEST } from "../../compiler/emit/cache.ts"
import type { CompileOutput } from "../../compiler/emit/index.ts"
import { applyDiff, diffTree } from "../../compiler/emit/write.ts"
import type { SourceFile } from "../../compiler/source/source.ts"
import { compileModel } from "../../compiler/emit/index.ts"
import { memoryValidateCache } from "../../compiler/validate/cache.ts"
import type { ValidateCache } from "../../compiler/validate/cache.ts"
import { validateSources } from "../../compiler/validate/index.ts"
import { compileOrg, loadOrg, REPO, SCRATCH } from "./support.ts"

const fingerprint = "cache-test"

const project = (name: string): string => {
  const dir = join(SCRATCH, name)
  rmSync(dir, { recursive: true, force: true })
  cpSync(join(REPO, "test/golden/basic"), dir, { recursive: true })
  return dir
}

/** compile as the CLI does: emit with the cache, write what differs, save the manifest. */
const compileInto = async (dir: string, files: ReadonlyArray<SourceFile>, options: { verify?: boolean; write?: boolean } = {}) => {
  const cache = fileCache(dir, { verify: options.verify === true })
  const out = await compileOrg(files, { guideShape, cache, fingerprint })
  const diff = diffTree(dir, out.files, cache.tree)
  if (options.write !== false) applyDiff(dir, out.files, diff, cache.tree)
  cache.save()
  return { out, diff }
}

/** A project compiled once, and the generated file the hand-edit tests touch, with its text. */
const compiledWithTarget = async (name: string) => {
  const dir = project(name)
  const files = loadOrg(dir)
  await compileInto(dir, files)
  const target = join(dir, "generated/types/entities/order.v1.ts")
  return { dir, files, target, original: readFileSync(target, "utf8") }
}

const sameBytes = (a: CompileOutput, b: CompileOutput): void => {
  expect(a.files.map((f) => f.path)).toEqual(b.files.map((f) => f.path))
  for (let i = 0; i < a.files.length; i++) expect(a.files[i]!.text, a.files[i]!.path).toBe(b.files[i]!.text)
}

describe("unit cache on disk", () => {
  it("serves every unit of an unchanged organisation, with the bytes of an uncached compile", async () => {
    const dir = project("cache-warm")
    const files = loadOrg(dir)
    const plain = await compileOrg(files, { guideShape })
    const first = await compileInto(dir, files)
    expect(first.out.stats.cached).toBe(0)
    const second = await compileInto(dir, files)
    expect(second.out.stats.cached).toBe(second.out.stats.units)
    expect(second.diff).toMatchObject({ drifted: [], missing: [], extra: [] })
    sameBytes(second.out, plain)
  })

  it("misses exactly the unit whose spec changed, and what it writes is what an uncached compile gives", async () => {
    const dir = project("cache-change")
    const files = loadOrg(dir)
    await compileInto(dir, files)
    const changed = files.map((f) => (f.path === "specs/entities/order.yaml" ? { ...f, text: f.text.replace(`description: "Channel prefix`, `description: "Changed. Channel prefix`) } : f))
    expect(changed).not.toEqual(files)
    const after = await compileInto(dir, changed)
    expect(after.out.stats.units - after.out.stats.cached).toBe(1)
    expect([...after.diff.drifted].filter((p) => !/order\.v1|asyncapi/.test(p))).toEqual([])
    expect(after.diff.drifted).toContain("generated/types/entities/order.v1.ts")
    sameBytes(after.out, await compileOrg(changed, { guideShape }))
    // And back: the old text is emitted again (its files on disk were overwritten since).
    const back = await compileInto(dir, files)
    expect(back.out.stats.units - back.out.stats.cached).toBe(1)
    sameBytes(back.out, await compileOrg(files, { guideShape }))
  })

  it("prints the registry again when what it prints changes, and serves it otherwise", async () => {
    const dir = project("cache-registry")
    const files = loadOrg(dir)
    await compileInto(dir, files)
    const changed = files.map((f) => (f.path === "partners/shop/partner.yaml" ? { ...f, text: f.text.replace(`owners: ["@acme/web"]`, `owners: ["@acme/web", "@acme/ops"]`) } : f))
    expect(changed).not.toEqual(files)
    const after = await compileInto(dir, changed)
    expect(after.diff.drifted).toContain("generated/index.ts")
    expect(readFileSync(join(dir, "generated/index.ts"), "utf8")).toContain("@acme/ops")
    sameBytes(after.out, await compileOrg(changed, { guideShape }))
    const again = await compileInto(dir, changed)
    expect(again.diff.drifted).toEqual([])
    sameBytes(again.out, await compileOrg(changed, { guideShape }))
  })

  it("with validate's cache too, keys an unchanged payload schema by its digest without parsing it, and emits a changed one again", async () => {
    const dir = project("cache-digest")
    const files = loadOrg(dir)
    const validateCache = memoryValidateCache()
    /** compileInto, on a model from validate with its cache (payload schemas seen before are parsed when read). */
    const compileWarm = async (input: ReadonlyArray<SourceFile>, vcache: ValidateCache) => {
      const r = validateSources(input, { guideShape, cache: vcache })
      expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([])
      const cache = fileCache(dir)
      const out = await compileModel(r.model, { guideShape, cache, fingerprint })
      const diff = diffTree(dir, out.files, cache.tree)
      applyDiff(dir, out.files, diff, cache.tree)
      cache.save()
      return { out, diff }
    }
    await compileWarm(files, validateCache)
    const path = "partners/shop/schemas/Order.schema.json"
    const text = files.find((f) => f.path === path)!.text
    const parse = vi.spyOn(JSON, "parse")
    let warm: Awaited<ReturnType<typeof compileWarm>>
    try {
      warm = await compileWarm(files, validateCache)
      expect(parse.mock.calls.filter(([t]) => t === text)).toEqual([])
    } finally {
      parse.mockRestore()
    }
    expect(warm.out.stats.cached).toBe(warm.out.stats.units)
    expect(warm.diff).toMatchObject({ drifted: [], missing: [], extra: [] })
    sameBytes(warm.out, await compileOrg(files, { guideShape }))
    // The schema changes: its unit misses, and what is written is what an uncached compile gives.
    const changed = files.map((f) => (f.path === path ? { ...f, text: f.text.replace('"maxLength": 40', '"maxLength": 41') } : f))
    expect(changed).not.toEqual(files)
    const after = await compileWarm(changed, validateCache)
    expect(after.out.stats.cached).toBeLessThan(after.out.stats.units)
    expect(after.diff.drifted.some((p) => p.includes("shop"))).toBe(true)
    sameBytes(after.out, await compileOrg(changed, { guideShape }))
    const back = await compileWarm(files, validateCache)
    sameBytes(back.out, await compileOrg(files, { guideShape }))
  })

  it("does not trust a generated file changed on disk: the unit is emitted again and the file rewritten", async () => {
    const { dir, files, target, original } = await compiledWithTarget("cache-edited")
    writeFileSync(target, `${original}// edited by hand\n`)
    const after = await compileInto(dir, files)
    expect(after.out.stats.units - after.out.stats.cached).toBe(1)
    expect(after.diff.drifted).toEqual(["generated/types/entities/order.v1.ts"])
    expect(readFileSync(target, "utf8")).toBe(original)
  })

  it("with verify (compile --check), finds an edit that kept the file's size and modification time", async () => {
    const { dir, files, target, original } = await compiledWithTarget("cache-verify")
    const st = statSync(target)
    const edited = original.replace("export", "EXPORT")
    expect(edited.length).toBe(original.length)
    writeFileSync(target, edited)
    utimesSync(target, st.atime, st.mtime)
    const check = await compileInto(dir, files, { verify: true, write: false })
    expect(check.out.stats.units - check.out.stats.cached).toBe(1)
    expect(check.diff.drifted).toEqual(["generated/types/entities/order.v1.ts"])
  })

  it("treats a damaged or foreign manifest as empty, and rewrites it", async () => {
    const dir = project("cache-damaged")
    const files = loadOrg(dir)
    const plain = await compileOrg(files, { guideShape })
    await compileInto(dir, files)
    const path = join(dir, MANIFEST)
    const good = JSON.parse(readFileSync(path, "utf8")) as { units: Record<string, string[]>; files: Record<string, unknown[]> }
    const someKey = Object.keys(good.units)[0]!
    const damaged = [
      "",
      "{",
      "null",
      JSON.stringify({ ...good, version: 2 }),
      JSON.stringify({ ...good, units: "x" }),
      // A unit pointing outside generated/, and one whose file entry is malformed.
      JSON.stringify({ ...good, units: { ...good.units, [someKey]: ["../../package.json"] } }),
      JSON.stringify({ ...good, files: Object.fromEntries(Object.entries(good.files).map(([k, v]) => [k, [v[0], "big", v[2], v[3]]])) })
    ]
    for (const text of damaged) {
      writeFileSync(path, text)
      const r = await compileInto(dir, files)
      sameBytes(r.out, plain)
      expect(r.diff).toMatchObject({ drifted: [], missing: [], extra: [] })
      const again = await compileInto(dir, files)
      expect(again.out.stats.cached).toBe(again.out.stats.units)
    }
  })
})
