// Mapping fixtures: every partners/<p>/tests/<mapping>/<case>.input.(json|edi) runs through the compiled
// mapping (compiled in memory from the current spec, loaded without touching generated/) and through the
// jsonata interpreter. Compiled ≠ expected is a failing fixture; compiled ≠ interpreted is a compiler bug.
import jsonata from "jsonata"
import ts from "typescript"
import * as runtime from "../../runtime/mapping/index.ts"
import { parse as parseEdi, structure } from "../../runtime/edi/index.ts"
import type { Guide } from "../../runtime/edi/index.ts"
import type { Fixture, Model } from "../model/model.ts"
import type { GuideShape } from "../model/shapes.ts"
import type { MappingUnit } from "./ir.ts"
import { compareText } from "./literal.ts"
import { toJsonataExpression } from "./jsonata/index.ts"
import type { MappingCompileError } from "./jsonata/index.ts"
import { lowerModel } from "./lower.ts"
import { emitMapping } from "./mappings.ts"

export type Outcome = { readonly ok: unknown } | { readonly error: string }

export interface FixtureDifference {
  /** JSON path, `$.lines[0].quantity`. */
  readonly path: string
  readonly expected: unknown
  readonly actual: unknown
}

export type FixtureResult =
  | { readonly status: "pass"; readonly fixture: Fixture }
  | { readonly status: "fail"; readonly fixture: Fixture; readonly actual: Outcome; readonly differences: ReadonlyArray<FixtureDifference> }
  | { readonly status: "compiler-bug"; readonly fixture: Fixture; readonly compiled: Outcome; readonly interpreted: Outcome; readonly differences: ReadonlyArray<FixtureDifference> }
  | { readonly status: "error"; readonly fixture: Fixture; readonly reason: string }
  | { readonly status: "skipped"; readonly fixture: Fixture; readonly reason: string }

/** Loads a generated mapping module in memory: transpiled to CommonJS, its one import bound to runtime/mapping. */
export const loadMappingModule = (code: string): ((input: unknown) => unknown) => {
  const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false } }).outputText
  const mod: { exports: Record<string, unknown> } = { exports: {} }
  const require = (id: string): unknown => {
    if (/(^|\/)runtime\/mapping\/index\.ts$/.test(id)) return runtime
    throw new Error(`a compiled mapping imports '${id}'`)
  }
  new Function("module", "exports", "require", js)(mod, mod.exports, require)
  const apply = mod.exports["apply"]
  if (typeof apply !== "function") throw new Error("the compiled mapping has no apply()")
  return apply as (input: unknown) => unknown
}

const errorCode = (e: unknown): string =>
  e instanceof runtime.MappingError ? e.code : typeof e === "object" && e !== null && "code" in e ? String((e as { code: unknown }).code) : e instanceof Error ? e.message : String(e)

/** JSON as it would be serialised: `undefined` members gone, JSONata sequences plain arrays. */
const plain = (v: unknown): unknown => (v === undefined ? undefined : (JSON.parse(JSON.stringify(v)) as unknown))

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

const stepName = (k: string): string => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`)

/** Every place two JSON values differ, at most `limit`. */
export const jsonDifferences = (expected: unknown, actual: unknown, path = "$", out: FixtureDifference[] = [], limit = 50): FixtureDifference[] => {
  if (out.length >= limit) return out
  if (Array.isArray(expected) && Array.isArray(actual)) {
    for (let i = 0; i < Math.max(expected.length, actual.length); i++) jsonDifferences(expected[i], actual[i], `${path}[${i}]`, out, limit)
  } else if (isRecord(expected) && isRecord(actual)) {
    for (const k of [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort(compareText)) jsonDifferences(expected[k], actual[k], `${path}${stepName(k)}`, out, limit)
  } else if (!Object.is(expected, actual)) out.push({ path, expected, actual })
  return out
}

const outcomeDifferences = (a: Outcome, b: Outcome): FixtureDifference[] => {
  if ("ok" in a && "ok" in b) return jsonDifferences(a.ok, b.ok)
  if ("error" in a && "error" in b) return a.error === b.error ? [] : [{ path: "$", expected: `error ${a.error}`, actual: `error ${b.error}` }]
  return [{ path: "$", expected: "ok" in a ? a.ok : `error ${a.error}`, actual: "ok" in b ? b.ok : `error ${b.error}` }]
}

export interface FixtureRunOptions {
  readonly guideShape?: GuideShape | undefined
  /** File text by repository-relative path. */
  readonly read: (path: string) => string | undefined
}

/** The structured JSON of the first transaction set of an X12 file, through the guide. */
export const ediInput = (text: string, guide: Guide): { json: unknown } | { reason: string } => {
  const parsed = parseEdi(text)
  const set = parsed.interchanges[0]?.groups[0]?.sets[0]
  if (!set) return { reason: "the X12 file holds no transaction set" }
  return { json: structure(set, guide).json }
}

export interface MappingCompileFailure {
  readonly mapping: string
  readonly errors: ReadonlyArray<MappingCompileError>
}

export const runFixtures = async (model: Model, options: FixtureRunOptions): Promise<ReadonlyArray<FixtureResult>> => {
  const units = new Map(
    lowerModel(model, { guideShape: options.guideShape })
      .units.filter((u): u is MappingUnit => u.k === "mapping")
      .map((u) => [u.name, u] as const)
  )
  const compiled = new Map<string, { apply: (input: unknown) => unknown; interpret: (input: unknown) => Promise<Outcome> } | string>()
  const prepare = (name: string) => {
    const cached = compiled.get(name)
    if (cached !== undefined) return cached
    const unit = units.get(name)
    let entry: { apply: (input: unknown) => unknown; interpret: (input: unknown) => Promise<Outcome> } | string
    if (!unit) entry = `no mapping named '${name}'`
    else {
      const r = emitMapping(unit)
      if ("errors" in r) entry = `the mapping does not compile: ${r.errors.map((e) => `${e.code} ${e.message}`).join("; ")}`
      else {
        const expr = jsonata(toJsonataExpression(unit.fields))
        const tables = new Map(Object.entries(unit.tables ?? {}).map(([t, rows]) => [t, runtime.table(Object.entries(rows))] as const))
        expr.registerFunction("lookup", (t: unknown, key: unknown, dflt: unknown) => {
          const table = typeof t === "string" ? tables.get(t) : undefined
          return table === undefined ? undefined : runtime.lookupTable(table, key, dflt)
        })
        entry = {
          apply: loadMappingModule(r.files[0]!.text),
          interpret: async (input) => {
            try {
              return { ok: plain(await expr.evaluate(input)) }
            } catch (e: unknown) {
              return { error: errorCode(e) }
            }
          }
        }
      }
    }
    compiled.set(name, entry)
    return entry
  }

  const results: FixtureResult[] = []
  const fixtures = [...model.fixtures].sort((a, b) => compareText(a.input, b.input))
  for (const fixture of fixtures) {
    const mapping = prepare(fixture.mapping)
    if (typeof mapping === "string") {
      results.push({ status: "error", fixture, reason: mapping })
      continue
    }
    const text = options.read(fixture.input)
    if (text === undefined) {
      results.push({ status: "error", fixture, reason: `cannot read ${fixture.input}` })
      continue
    }
    let input: unknown
    if (/\.(edi|x12)$/.test(fixture.input)) {
      const source = model.mappings.get(fixture.mapping)?.spec.source as { guide?: string } | undefined
      const guide = source?.guide !== undefined ? model.guides.get(source.guide) : undefined
      if (!guide) {
        results.push({ status: "skipped", fixture, reason: "an X12 input needs a mapping whose source is a guide" })
        continue
      }
      const r = ediInput(text, guide.spec as unknown as Guide)
      if ("reason" in r) {
        results.push({ status: "error", fixture, reason: r.reason })
        continue
      }
      input = r.json
    } else {
      try {
        input = JSON.parse(text) as unknown
      } catch (e: unknown) {
        results.push({ status: "error", fixture, reason: `the input is not JSON: ${e instanceof Error ? e.message : String(e)}` })
        continue
      }
    }
    let actual: Outcome
    try {
      actual = { ok: plain(mapping.apply(input)) }
    } catch (e: unknown) {
      if (!(e instanceof runtime.MappingError)) throw e
      actual = { error: errorCode(e) }
    }
    const interpreted = await mapping.interpret(input)
    const bug = outcomeDifferences(interpreted, actual)
    if (bug.length > 0) {
      results.push({ status: "compiler-bug", fixture, compiled: actual, interpreted, differences: bug })
      continue
    }
    if (fixture.expected === undefined) {
      results.push({ status: "error", fixture, reason: `no expected output (${fixture.input.replace(/\.input\.\w+$/, ".expected.json")})` })
      continue
    }
    const expectedText = options.read(fixture.expected)
    let expected: unknown
    try {
      expected = JSON.parse(expectedText ?? "") as unknown
    } catch (e: unknown) {
      results.push({ status: "error", fixture, reason: `${fixture.expected} is not JSON: ${e instanceof Error ? e.message : String(e)}` })
      continue
    }
    const differences = "ok" in actual ? jsonDifferences(expected, actual.ok) : [{ path: "$", expected, actual: `error ${actual.error}` }]
    results.push(differences.length === 0 ? { status: "pass", fixture } : { status: "fail", fixture, actual, differences })
  }
  return results
}

const show = (v: unknown): string => (v === undefined ? "(absent)" : JSON.stringify(v))

/** A readable report: one line per fixture, the differences under each failure, a summary. */
export const formatFixtureResults = (results: ReadonlyArray<FixtureResult>, color = false): string => {
  const paint = (code: string, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s)
  const out: string[] = []
  const name = (f: Fixture) => `${f.partner}/${f.mapping}/${f.name}`
  const diffLines = (ds: ReadonlyArray<FixtureDifference>, a: string, b: string) =>
    ds.flatMap((d) => [`      ${d.path}`, paint("32", `        - ${a}: ${show(d.expected)}`), paint("31", `        + ${b}: ${show(d.actual)}`)])
  for (const r of results) {
    switch (r.status) {
      case "pass":
        out.push(`  ${paint("32", "pass")}  ${name(r.fixture)}`)
        break
      case "fail":
        out.push(`  ${paint("31", "FAIL")}  ${name(r.fixture)}`, `      compiled output differs from ${r.fixture.expected}:`, ...diffLines(r.differences, "expected", "actual  "))
        break
      case "compiler-bug":
        out.push(
          `  ${paint("35", "BUG ")}  ${name(r.fixture)}`,
          "      compiler bug: the compiled mapping and the jsonata interpreter disagree on this input:",
          ...diffLines(r.differences, "interpreted", "compiled   ")
        )
        break
      case "error":
        out.push(`  ${paint("31", "ERR ")}  ${name(r.fixture)}: ${r.reason}`)
        break
      case "skipped":
        out.push(`  ${paint("33", "skip")}  ${name(r.fixture)}: ${r.reason}`)
        break
    }
  }
  const count = (s: FixtureResult["status"]) => results.filter((r) => r.status === s).length
  out.push(
    "",
    `${results.length} fixtures: ${count("pass")} passed, ${count("fail")} failed, ${count("compiler-bug")} compiler bugs, ${count("error")} errors, ${count("skipped")} skipped`
  )
  return `${out.join("\n")}\n`
}

export const fixturesFailed = (results: ReadonlyArray<FixtureResult>): boolean => results.some((r) => r.status === "fail" || r.status === "compiler-bug" || r.status === "error")
