// The last phase, the only one that touches the disk: compare the emitted list with the tree (drifted,
// missing, extra) and, unless checking, write what differs and delete what is no longer produced.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, statSync, unlinkSync, writeFileSync, renameSync } from "node:fs"
import { dirname, join } from "node:path"
import type { Diagnostic } from "../diagnostics/diagnostic.ts"
import { WHOLE_FILE } from "../diagnostics/diagnostic.ts"
import { diagnosticAt } from "../parse/yaml.ts"
import { GENERATED_DIR } from "./index.ts"
import { compareText } from "./literal.ts"
import type { EmittedFile } from "./names.ts"

/** What the unit cache knows of the tree (cache.ts's TreeState): files known to be up to date, and what was written or found equal. */
export interface TreeRecord {
  readonly clean: (path: string) => boolean
  readonly record: (path: string, text: string) => void
}

export interface TreeDiff {
  /** Paths relative to the project root, sorted. */
  readonly drifted: ReadonlyArray<string>
  readonly missing: ReadonlyArray<string>
  /** Files under generated/ that the compile does not produce. */
  readonly extra: ReadonlyArray<string>
  readonly unchanged: number
}

const listFiles = (root: string, rel: string, out: string[]): void => {
  const abs = join(root, rel)
  if (!existsSync(abs)) return
  for (const entry of readdirSync(abs, { withFileTypes: true }).sort((a, b) => compareText(a.name, b.name))) {
    const child = `${rel}/${entry.name}`
    // A symbolic link (or an entry whose type the file system does not give) is looked at through stat, as before.
    const dir = entry.isDirectory() || ((entry.isSymbolicLink() || (!entry.isFile() && !entry.isDirectory())) && statSync(join(root, child)).isDirectory())
    if (dir) listFiles(root, child, out)
    else out.push(child)
  }
}

const readText = (abs: string): string | undefined => {
  try {
    return readFileSync(abs, "utf8")
  } catch {
    return undefined
  }
}

/** With `tree`, files the cache knows to be up to date are not read, and files found equal are recorded. */
export const diffTree = (root: string, files: ReadonlyArray<EmittedFile>, tree?: TreeRecord): TreeDiff => {
  const drifted: string[] = []
  const missing: string[] = []
  let unchanged = 0
  for (const f of files) {
    if (tree?.clean(f.path) === true) {
      unchanged++
      continue
    }
    const current = readText(join(root, f.path))
    if (current === undefined) missing.push(f.path)
    else if (current !== f.text) drifted.push(f.path)
    else {
      unchanged++
      tree?.record(f.path, f.text)
    }
  }
  const produced = new Set(files.map((f) => f.path))
  const onDisk: string[] = []
  listFiles(root, GENERATED_DIR, onDisk)
  const extra = onDisk.filter((p) => !produced.has(p))
  return { drifted, missing, extra, unchanged }
}

export const diffDiagnostics = (diff: TreeDiff): ReadonlyArray<Diagnostic> => [
  ...diff.drifted.map((p) => diagnosticAt("TL8001", `${p} differs from what the specs produce`, p, WHOLE_FILE, { hint: "run `tradelane compile` and commit the result" })),
  ...diff.missing.map((p) => diagnosticAt("TL8002", `${p} is missing`, p, WHOLE_FILE, { hint: "run `tradelane compile` and commit the result" })),
  ...diff.extra.map((p) => diagnosticAt("TL8003", `${p} is not produced by the specs`, p, WHOLE_FILE, { hint: "run `tradelane compile` to delete it, and commit" }))
]

const removeEmptyDirs = (root: string, rel: string): void => {
  const abs = join(root, rel)
  if (!existsSync(abs) || !statSync(abs).isDirectory()) return
  for (const entry of readdirSync(abs)) removeEmptyDirs(root, `${rel}/${entry}`)
  if (readdirSync(abs).length === 0 && rel !== GENERATED_DIR) rmdirSync(abs)
}

/** Writes drifted and missing files (write-then-rename) and deletes extra ones; with `tree`, records what it wrote. */
export const applyDiff = (root: string, files: ReadonlyArray<EmittedFile>, diff: TreeDiff, tree?: TreeRecord): void => {
  const changed = new Set([...diff.drifted, ...diff.missing])
  const made = new Set<string>()
  for (const f of files) {
    if (!changed.has(f.path)) continue
    const abs = join(root, f.path)
    const parent = dirname(abs)
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true })
      made.add(parent)
    }
    const tmp = `${abs}.tmp-${process.pid}`
    writeFileSync(tmp, f.text)
    renameSync(tmp, abs)
    tree?.record(f.path, f.text)
  }
  for (const p of diff.extra) unlinkSync(join(root, p))
  if (diff.extra.length > 0) removeEmptyDirs(root, GENERATED_DIR)
}
