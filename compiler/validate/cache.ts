// The validate cache: what validate learns from one file alone, kept across runs in one file,
// .tradelane/cache/validate.jsonl (gitignored), keyed by the file's path and a hash of its text, under a
// fingerprint of the compiler's own source and the versions of the libraries it drives.
//   - a YAML spec file: its documents' values (parsed once, by yaml), and for each document whether it
//     passed its kind's schema, with every finding of the parse, schema and secret checks (positioned);
//     a mapping's TL4101 findings (checkMapping), and its field findings with the identity (content
//     hashes) of the two shapes they were computed against, once computed;
//   - a JSON file: that it is strict JSON without a repeated key (its value is JSON.parse of the text),
//     and the problem checkEmbeddedSchema finds in it as a payload schema, once computed.
// A file is cached only when its values survive JSON unchanged (plain data: no shared nodes, no
// non-finite numbers or -0, no `__proto__` key), so that a cached run sees exactly what a parse gives.
// Positions are only computed when something asks: a restored document parses its file on the first
// `locate`. An unreadable, corrupt or stale cache, or a malformed entry, is a miss, never an error.
import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import type { Diagnostic } from "../diagnostics/diagnostic.ts"
import { fingerprint, textHash } from "../fingerprint.ts"
import { KINDS } from "../schemas/index.ts"
import type { Kind } from "../schemas/index.ts"

export const VALIDATE_CACHE = ".tradelane/cache/validate.jsonl"

export interface CachedDocument {
  readonly index: number
  readonly value: unknown
  readonly broken?: true
  readonly valid: boolean
  readonly kind?: Kind
  /** TL4101 findings of a Mapping document (filled in when first computed). */
  compilable?: ReadonlyArray<Diagnostic>
  /** Field findings of a Mapping document against the shapes identified by `shapes` (the last computed). */
  fields?: { readonly shapes: string; readonly diagnostics: ReadonlyArray<Diagnostic> }
}

export type FileFacts =
  | { readonly k: "yaml"; readonly documents: ReadonlyArray<CachedDocument>; readonly diagnostics: ReadonlyArray<Diagnostic> }
  | {
      readonly k: "json"
      /** checkEmbeddedSchema's problem with the file as a payload schema ("" when none; filled in when first computed). */
      embedded?: string
    }

export interface ValidateCache {
  /** What is known of this file, if its text is the one it was learnt from. */
  readonly get: (path: string, text: string) => FileFacts | undefined
  readonly set: (path: string, text: string, facts: FileFacts) => void
  /** The hash of a file's text, as computed by `get` or `set` in this run. */
  readonly hashOf: (path: string) => string | undefined
  /** The facts of this file (returned by `get` or given to `set`) were completed (a mapping's or a schema's check). */
  readonly changed: (path: string) => void
  /** Writes the cache when anything changed, keeping only the files this run saw. */
  readonly save: () => void
}

const here = dirname(fileURLToPath(import.meta.url))

/** Hash of the compiler's source (compiler/**) and the versions of yaml, ajv, ajv-formats and jsonata. */
export const validatorFingerprint = (): string => fingerprint(dirname(here), [".ts", ".json"], ["yaml", "ajv", "ajv-formats", "jsonata"])

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

/** Whether a value comes back from JSON.stringify + JSON.parse as the same plain data (a tree). */
export const jsonSafe = (value: unknown): boolean => {
  const seen = new Set<object>()
  const ok = (v: unknown): boolean => {
    if (v === null || typeof v === "string" || typeof v === "boolean") return true
    if (typeof v === "number") return Number.isFinite(v) && !Object.is(v, -0)
    if (typeof v !== "object") return false
    if (seen.has(v)) return false
    seen.add(v)
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) if (!(i in v) || !ok(v[i])) return false
      return true
    }
    if (Object.getPrototypeOf(v) !== Object.prototype) return false
    for (const k of Object.keys(v)) if (k === "__proto__" || !ok((v as Record<string, unknown>)[k])) return false
    return Object.getOwnPropertySymbols(v).length === 0
  }
  return ok(value)
}

const isDiagnostic = (d: unknown): d is Diagnostic =>
  isRecord(d) &&
  typeof d["code"] === "string" &&
  typeof d["severity"] === "string" &&
  typeof d["message"] === "string" &&
  typeof d["file"] === "string" &&
  ["line", "column", "endLine", "endColumn"].every((k) => typeof d[k] === "number") &&
  (d["hint"] === undefined || typeof d["hint"] === "string") &&
  (d["path"] === undefined || typeof d["path"] === "string")

const isFacts = (f: unknown): f is FileFacts => {
  if (!isRecord(f)) return false
  if (f["k"] === "json") return f["embedded"] === undefined || typeof f["embedded"] === "string"
  if (f["k"] !== "yaml" || !Array.isArray(f["documents"]) || !Array.isArray(f["diagnostics"]) || !f["diagnostics"].every(isDiagnostic)) return false
  return f["documents"].every(
    (d: unknown) =>
      isRecord(d) &&
      typeof d["index"] === "number" &&
      "value" in d &&
      (d["broken"] === undefined || d["broken"] === true) &&
      typeof d["valid"] === "boolean" &&
      (d["kind"] === undefined || (KINDS as ReadonlyArray<unknown>).includes(d["kind"])) &&
      (d["compilable"] === undefined || (Array.isArray(d["compilable"]) && d["compilable"].every(isDiagnostic))) &&
      (d["fields"] === undefined ||
        (isRecord(d["fields"]) && typeof d["fields"]["shapes"] === "string" && Array.isArray(d["fields"]["diagnostics"]) && d["fields"]["diagnostics"].every(isDiagnostic)))
  )
}

interface Entry {
  readonly hash: string
  readonly facts: FileFacts
}

/** Where a store keeps its entries: load them all; write them all, or append the changed ones (undefined: removed). */
interface Backing {
  readonly load: () => { readonly entries: Map<string, Entry>; readonly lines: number }
  readonly rewrite: (entries: ReadonlyMap<string, Entry>) => void
  readonly append: (changed: ReadonlyMap<string, Entry | undefined>) => boolean
}

const store = (backing: Backing): ValidateCache => {
  let loaded: { readonly entries: Map<string, Entry>; readonly lines: number } | undefined
  const all = () => (loaded ??= backing.load()).entries
  // Files seen in this run, with the hash of their text; entries set, completed or removed in this run.
  const hashes = new Map<string, string>()
  const changed = new Set<string>()
  return {
    get: (path, text) => {
      const hash = textHash(text)
      hashes.set(path, hash)
      const e = all().get(path)
      if (e === undefined || e.hash !== hash) return undefined
      return e.facts
    },
    set: (path, text, facts) => {
      const hash = hashes.get(path) ?? textHash(text)
      hashes.set(path, hash)
      all().set(path, { hash, facts })
      changed.add(path)
    },
    hashOf: (path) => hashes.get(path),
    changed: (path) => {
      changed.add(path)
    },
    save: () => {
      const m = all()
      for (const path of [...m.keys()]) {
        if (!hashes.has(path)) {
          m.delete(path)
          changed.add(path)
        }
      }
      if (changed.size > 0) {
        // A few changes are appended (later lines win); once most lines are stale, the file is rewritten.
        const lines = (loaded?.lines ?? 0) + changed.size
        const appended = lines <= 2 * m.size + 16 && backing.append(new Map([...changed].map((p) => [p, m.get(p)])))
        if (!appended) backing.rewrite(m)
      }
      // The next run reads the cache again (and gets values of its own, not this run's).
      loaded = undefined
      hashes.clear()
      changed.clear()
    }
  }
}

/**
 * The cache under `<root>/.tradelane/cache/validate.jsonl`: a header line (version, fingerprint), then one
 * line per file: `["<path>","<text hash>","<facts hash>"]<TAB><facts as JSON>`. An entry whose facts do
 * not match their hash, or do not have the shape of facts, is dropped (the file is parsed again).
 */
export const fileValidateCache = (root: string): ValidateCache => {
  const path = join(root, VALIDATE_CACHE)
  const fingerprint = validatorFingerprint()
  const line = (file: string, e: Entry | undefined): string => {
    if (e === undefined) return `${JSON.stringify([file, "", textHash("")])}\t`
    const body = JSON.stringify(e.facts)
    return `${JSON.stringify([file, e.hash, textHash(body)])}\t${body}`
  }
  return store({
    load: () => {
      const entries = new Map<string, Entry>()
      let text: string
      try {
        text = readFileSync(path, "utf8")
      } catch {
        return { entries, lines: 0 }
      }
      const lines = text.split("\n")
      try {
        const head = JSON.parse(lines[0] ?? "") as unknown
        if (!isRecord(head) || head["version"] !== 1 || head["fingerprint"] !== fingerprint) return { entries, lines: 0 }
      } catch {
        return { entries, lines: 0 }
      }
      // Later lines win: a change is appended after the line it replaces; an empty hash removes the file.
      for (let i = 1; i < lines.length; i++) {
        const l = lines[i]!
        const tab = l.indexOf("\t")
        if (tab < 0) continue
        try {
          const key = JSON.parse(l.slice(0, tab)) as unknown
          const body = l.slice(tab + 1)
          if (!Array.isArray(key) || key.length !== 3 || !key.every((k) => typeof k === "string") || textHash(body) !== key[2]) continue
          if (key[1] === "") {
            entries.delete(key[0] as string)
            continue
          }
          const facts = JSON.parse(body) as unknown
          if (isFacts(facts)) entries.set(key[0] as string, { hash: key[1] as string, facts })
        } catch {
          // A damaged line: that file is parsed again.
        }
      }
      return { entries, lines: lines.length }
    },
    rewrite: (entries) => {
      try {
        mkdirSync(dirname(path), { recursive: true })
        const lines = [JSON.stringify({ version: 1, fingerprint })]
        for (const [file, e] of entries) lines.push(line(file, e))
        const tmp = `${path}.tmp-${process.pid}`
        writeFileSync(tmp, `${lines.join("\n")}\n`)
        renameSync(tmp, path)
      } catch {
        // A cache that cannot be written only makes the next run slower.
      }
    },
    append: (changed) => {
      try {
        const head = readFileSync(path, "utf8").slice(0, 200).split("\n")[0] ?? ""
        if (head !== JSON.stringify({ version: 1, fingerprint })) return false
        // (A leading newline ends a last line cut short; an empty line is skipped.)
        appendFileSync(path, `\n${[...changed].map(([file, e]) => `${line(file, e)}\n`).join("")}`)
        return true
      } catch {
        return false
      }
    }
  })
}

/**
 * A cache in memory (tests). Like the file cache, it keeps facts as JSON text, so that what comes back
 * has been through JSON exactly as the file cache's would.
 */
export const memoryValidateCache = (): ValidateCache & { readonly size: () => number } => {
  const saved = new Map<string, string>()
  const cache = store({
    load: () => ({ entries: new Map([...saved].map(([k, v]) => [k, JSON.parse(v) as Entry])), lines: saved.size }),
    rewrite: (entries) => {
      saved.clear()
      for (const [k, v] of entries) saved.set(k, JSON.stringify(v))
    },
    append: (changed) => {
      for (const [k, v] of changed) {
        if (v === undefined) saved.delete(k)
        else saved.set(k, JSON.stringify(v))
      }
      return true
    }
  })
  return { ...cache, size: () => saved.size }
}
