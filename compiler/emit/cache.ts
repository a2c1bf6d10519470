// The on-disk unit cache: one manifest, .tradelane/cache/emit.json (gitignored). generated/ itself holds
// the text: the manifest records, for every unit, the files it produced, and for every such file the
// unit that wrote it, its size, modification time and hash, as they were when the compile wrote it (or
// read it and found it equal). A unit is served from the cache when all its files are still so on disk
// (a stat each; with `verify`, a read and a hash): its files are then deferred (their text is read only
// if something asks for it) and the write phase knows them to be up to date without reading them.
// Keys are content hashes folding in the emitters' fingerprint (its own source and the versions of the
// libraries they drive), so a compiler change never serves stale output. An unreadable, corrupt or stale
// manifest, or a file changed on disk, is a miss, never an error.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs"
import { dirname, join, sep } from "node:path"
import { fileURLToPath } from "node:url"
import { fingerprint, textHash } from "../fingerprint.ts"
import type { UnitCache } from "./index.ts"
import type { EmittedFile } from "./names.ts"
import { deferredFile } from "./names.ts"

export const MANIFEST = ".tradelane/cache/emit.json"
/** Unit outputs live under this folder of the project (index.ts's GENERATED_DIR). */
const GENERATED = "generated"

const here = dirname(fileURLToPath(import.meta.url))

/** Hash of compiler/emit/** and the versions of ajv, ajv-formats and json-schema-to-typescript. */
export const emitterFingerprint = (): string => fingerprint(here, [".ts"], ["ajv", "ajv-formats", "json-schema-to-typescript"])

/** What the write phase (write.ts) asks the cache and tells it, by project-relative path. */
export interface TreeState {
  /** The file belongs to a unit served from the cache: it holds that unit's text as emitted. */
  readonly clean: (path: string) => boolean
  /** The file now holds `text` (just written, or read and found equal). */
  readonly record: (path: string, text: string) => void
}

export interface FileCache extends UnitCache {
  readonly tree: TreeState
  /** Writes the manifest: the units of this compile and their files as recorded. Call after writing or checking the tree. */
  readonly save: () => void
}

/** [unit key, size in bytes, modification time (ms), hash of the text]. */
type FileEntry = readonly [string, number, number, string]

interface Manifest {
  readonly version: 1
  /** Unit key -> paths of its files, relative to generated/. */
  readonly units: Record<string, ReadonlyArray<string>>
  /** Project-relative path -> how the file was when its unit's text was known to be in it. */
  readonly files: Record<string, FileEntry>
}

/** A path below generated/ as the emitters write them: relative, POSIX, no `.` or `..` segment. */
const safePath = (p: unknown): p is string => typeof p === "string" && p.length > 0 && !p.startsWith("/") && !p.includes("\\") && p.split("/").every((s) => s !== "" && s !== "." && s !== "..")

const isEntry = (e: unknown): e is FileEntry =>
  Array.isArray(e) && e.length === 4 && typeof e[0] === "string" && typeof e[1] === "number" && typeof e[2] === "number" && typeof e[3] === "string"

const readManifest = (path: string): Manifest => {
  const empty: Manifest = { version: 1, units: Object.create(null) as Manifest["units"], files: Object.create(null) as Manifest["files"] }
  try {
    const m = JSON.parse(readFileSync(path, "utf8")) as Partial<Manifest> | null
    if (m === null || typeof m !== "object" || m.version !== 1 || typeof m.units !== "object" || m.units === null || typeof m.files !== "object" || m.files === null) return empty
    // Null-prototype copies: a key such as `__proto__` is data, never a prototype.
    return { version: 1, units: Object.assign(Object.create(null), m.units), files: Object.assign(Object.create(null), m.files) }
  } catch {
    return empty
  }
}

export interface FileCacheOptions {
  /** Read and hash every file of a unit before serving it (for `compile --check`: every byte is checked, not only sizes and times). */
  readonly verify?: boolean
}

/** A cache under `<root>/.tradelane/cache/emit.json`, backed by the files under `<root>/generated/`. */
export const fileCache = (root: string, options: FileCacheOptions = {}): FileCache => {
  const manifestPath = join(root, MANIFEST)
  const base = `${join(root, ".")}${sep}`
  let manifest: Manifest | undefined
  const load = (): Manifest => (manifest ??= readManifest(manifestPath))
  // This compile: units served (key -> their paths), units emitted, and who owns each file.
  const served = new Map<string, ReadonlyArray<string>>()
  const emitted = new Map<string, ReadonlyArray<string>>()
  const owner = new Map<string, string>()
  const clean = new Set<string>()
  const recorded = new Map<string, FileEntry>()
  return {
    get: (key) => {
      const m = load()
      const paths = m.units[key]
      if (!Array.isArray(paths) || !paths.every(safePath)) return undefined
      const files: EmittedFile[] = []
      for (const p of paths) {
        const full = `${GENERATED}/${p}`
        const entry = m.files[full]
        if (!isEntry(entry) || entry[0] !== key) return undefined
        const abs = `${base}${full}`
        let st
        try {
          st = statSync(abs, { throwIfNoEntry: false })
        } catch {
          return undefined
        }
        if (st === undefined || !st.isFile() || st.size !== entry[1] || st.mtimeMs !== entry[2]) return undefined
        if (options.verify === true) {
          let text: string
          try {
            text = readFileSync(abs, "utf8")
          } catch {
            return undefined
          }
          if (textHash(text) !== entry[3]) return undefined
          files.push({ path: p, text })
        } else files.push(deferredFile(p, () => readFileSync(abs, "utf8")))
      }
      served.set(key, paths)
      for (const p of paths) {
        const full = `${GENERATED}/${p}`
        owner.set(full, key)
        clean.add(full)
      }
      return files
    },
    set: (key, files) => {
      emitted.set(
        key,
        files.map((f) => f.path)
      )
      for (const f of files) owner.set(`${GENERATED}/${f.path}`, key)
    },
    tree: {
      clean: (path) => clean.has(path),
      record: (path, text) => {
        const key = owner.get(path)
        if (key === undefined) return
        try {
          const st = statSync(join(root, path))
          recorded.set(path, [key, st.size, st.mtimeMs, textHash(text)])
        } catch {
          recorded.delete(path)
        }
      }
    },
    save: () => {
      const m = load()
      const units: Record<string, ReadonlyArray<string>> = {}
      const files: Record<string, FileEntry> = {}
      for (const [key, paths] of [...served, ...emitted]) units[key] = paths
      for (const [path] of owner) {
        const entry = recorded.get(path) ?? (clean.has(path) ? m.files[path] : undefined)
        if (entry !== undefined) files[path] = entry
      }
      try {
        mkdirSync(dirname(manifestPath), { recursive: true })
        const tmp = `${manifestPath}.tmp-${process.pid}`
        writeFileSync(tmp, JSON.stringify({ version: 1, units, files }))
        renameSync(tmp, manifestPath)
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
