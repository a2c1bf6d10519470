// The on-disk unit cache (.tradelane/cache/emit/, gitignored): one JSON file per content hash. The
// fingerprint folds in the emitters' own source and the versions of the libraries they drive, so a
// compiler change never serves stale output.
import { createHash } from "node:crypto"
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import type { UnitCache } from "./index.ts"
import { compareText } from "./literal.ts"
import type { EmittedFile } from "./names.ts"

export const CACHE_DIR = ".tradelane/cache/emit"

const here = dirname(fileURLToPath(import.meta.url))

const sourcesUnder = (dir: string, out: string[]): void => {
  for (const entry of readdirSync(dir).sort(compareText)) {
    const abs = join(dir, entry)
    if (statSync(abs).isDirectory()) sourcesUnder(abs, out)
    else if (entry.endsWith(".ts")) out.push(abs)
  }
}

let memo: string | undefined

/** Hash of compiler/emit/** and the versions of ajv, ajv-formats and json-schema-to-typescript. */
export const emitterFingerprint = (): string => {
  if (memo !== undefined) return memo
  const hash = createHash("sha256")
  const files: string[] = []
  sourcesUnder(here, files)
  for (const f of files) hash.update(f.slice(here.length)).update("\u0000").update(readFileSync(f)).update("\u0000")
  const require = createRequire(import.meta.url)
  for (const pkg of ["ajv", "ajv-formats", "json-schema-to-typescript"]) {
    try {
      hash.update(`${pkg}@${(require(`${pkg}/package.json`) as { version: string }).version}`)
    } catch {
      hash.update(`${pkg}@?`)
    }
  }
  memo = hash.digest("hex").slice(0, 32)
  return memo
}

/** A cache under `<root>/.tradelane/cache/emit`. Unreadable or corrupt entries are misses. */
export const fileCache = (root: string): UnitCache => {
  const dir = join(root, CACHE_DIR)
  const pathOf = (key: string) => join(dir, key.slice(0, 2), `${key}.json`)
  // Folders this cache has made (one mkdir per folder, not per entry).
  const made = new Set<string>()
  return {
    get: (key) => {
      let text: string
      try {
        text = readFileSync(pathOf(key), "utf8")
      } catch {
        return undefined
      }
      try {
        const files = JSON.parse(text) as unknown
        return Array.isArray(files) && files.every((f) => typeof f?.path === "string" && typeof f?.text === "string") ? (files as EmittedFile[]) : undefined
      } catch {
        return undefined
      }
    },
    set: (key, files) => {
      try {
        const p = pathOf(key)
        const parent = dirname(p)
        if (!made.has(parent)) {
          mkdirSync(parent, { recursive: true })
          made.add(parent)
        }
        const tmp = `${p}.tmp-${process.pid}`
        writeFileSync(tmp, JSON.stringify(files))
        renameSync(tmp, p)
      } catch {
        // A cache that cannot be written only makes the next compile slower.
      }
    }
  }
}

/** A cache in memory (tests, benchmarks). */
export const memoryCache = (): UnitCache & { readonly size: () => number } => {
  const map = new Map<string, ReadonlyArray<EmittedFile>>()
  return { get: (k) => map.get(k), set: (k, v) => void map.set(k, v), size: () => map.size }
}
