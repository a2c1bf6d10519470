// Sources: the text of every file the compiler reads, keyed by repository-relative POSIX path.
// Loading touches the disk; everything after it is a pure function of the SourceSet.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { dirname, join, relative, resolve, sep } from "node:path"

export interface SourceFile {
  /** Relative to the project root, POSIX separators. */
  readonly path: string
  readonly text: string
}

export interface SourceSet {
  /** Project root as given (never printed in diagnostics or generated output). */
  readonly root: string
  readonly files: ReadonlyArray<SourceFile>
}

export const SPEC_ROOTS = ["specs", "partners"] as const

export const isSpecPath = (path: string): boolean =>
  /\.ya?ml$/i.test(path) && !/(^|\/)tests\//.test(path) && !/(^|\/)generated\//.test(path)

const toPosix = (p: string): string => p.split(sep).join("/")

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** The nearest ancestor of `from` (inclusive) that holds specs/ or partners/. */
export const findProjectRoot = (from: string): string | undefined => {
  let dir = resolve(from)
  try {
    if (statSync(dir).isFile()) dir = dirname(dir)
  } catch {
    return undefined
  }
  for (;;) {
    if (SPEC_ROOTS.some((r) => existsSync(join(dir, r)))) return dir
    const parent = dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}

const SKIP_DIRS = new Set(["node_modules", ".git", "generated"])

const walk = (abs: string, out: string[]): void => {
  const st = statSync(abs)
  if (st.isFile()) {
    out.push(abs)
    return
  }
  if (st.isDirectory()) walkDir(abs, out)
}

/** A folder's entries, in name order; the entry types come with the listing (stat only for links and unknown types). */
const walkDir = (abs: string, out: string[]): void => {
  for (const entry of readdirSync(abs, { withFileTypes: true }).sort((a, b) => compareText(a.name, b.name))) {
    if (SKIP_DIRS.has(entry.name) || entry.name.startsWith(".")) continue
    const child = join(abs, entry.name)
    if (entry.isFile()) out.push(child)
    else if (entry.isDirectory()) walkDir(child, out)
    else walk(child, out)
  }
}

export class SourcePathNotFound {
  readonly _tag = "SourcePathNotFound"
  constructor(readonly path: string) {}
}

/** Reads every .yaml/.yml/.json file under the project's spec roots. */
export const loadProject = (root: string): SourceSet => {
  const absRoot = resolve(root)
  const files: string[] = []
  for (const r of SPEC_ROOTS) {
    const p = join(absRoot, r)
    if (existsSync(p)) walk(p, files)
  }
  return {
    root: absRoot,
    files: files
      .filter((f) => /\.(ya?ml|json|edi|x12|txt)$/i.test(f))
      .map((f) => ({ path: toPosix(relative(absRoot, f)), text: readFileSync(f, "utf8") }))
      .sort((a, b) => compareText(a.path, b.path))
  }
}

/** Reads explicit paths (files or folders) as a project rooted at `root`. */
export const loadPaths = (root: string, paths: ReadonlyArray<string>): SourceSet | SourcePathNotFound => {
  const absRoot = resolve(root)
  const files: string[] = []
  for (const p of paths) {
    const abs = resolve(p)
    if (!existsSync(abs)) return new SourcePathNotFound(p)
    walk(abs, files)
  }
  const unique = [...new Set(files)]
  return {
    root: absRoot,
    files: unique
      .filter((f) => /\.(ya?ml|json)$/i.test(f))
      .map((f) => ({ path: toPosix(relative(absRoot, f)), text: readFileSync(f, "utf8") }))
      .sort((a, b) => compareText(a.path, b.path))
  }
}
