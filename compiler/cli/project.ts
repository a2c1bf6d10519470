// Finding and loading the project for a CLI command. The only place (with emit's writer) that reads the disk.
import { existsSync, readFileSync } from "node:fs"
import { relative, resolve, sep } from "node:path"
import type { Diagnostic } from "../diagnostics/diagnostic.ts"
import { diagnosticAt } from "../parse/yaml.ts"
import { WHOLE_FILE } from "../diagnostics/diagnostic.ts"
import type { SourceSet } from "../source/source.ts"
import { findProjectRoot, loadPaths, loadProject, SourcePathNotFound } from "../source/source.ts"

export interface LoadedProject {
  readonly sources: SourceSet
  /** Keeps the diagnostics about the paths the user asked for (all, when none were given). */
  readonly select: (d: Diagnostic) => boolean
  readonly sourceText: (file: string) => string | undefined
}

export class UsageError {
  readonly _tag = "UsageError"
  constructor(readonly message: string) {}
}

const toPosix = (p: string): string => p.split(sep).join("/")

/**
 * With no paths: the project around the working directory. With paths inside a project: the whole
 * project is read (references need it) and findings are kept for those paths. Paths outside any
 * project are read on their own.
 */
export const loadForCli = (paths: ReadonlyArray<string>, rootOption?: string): LoadedProject | UsageError => {
  for (const p of paths) if (!existsSync(p)) return new UsageError(`path not found: ${p}`)
  const root = rootOption ?? findProjectRoot(paths[0] ?? process.cwd())
  let sources: SourceSet
  if (root !== undefined && paths.every((p) => !relative(root, resolve(p)).startsWith(".."))) {
    const project = loadProject(root)
    // Paths inside the project but outside its spec folders are read too: nothing asked for is skipped.
    const extra = loadPaths(root, paths)
    if (extra instanceof SourcePathNotFound) return new UsageError(`path not found: ${extra.path}`)
    const known = new Set(project.files.map((f) => f.path))
    sources = { root: project.root, files: [...project.files, ...extra.files.filter((f) => !known.has(f.path))].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) }
  } else {
    const loaded = loadPaths(process.cwd(), paths.length ? paths : ["."])
    if (loaded instanceof SourcePathNotFound) return new UsageError(`path not found: ${loaded.path}`)
    sources = loaded
  }
  const prefixes = paths.map((p) => toPosix(relative(sources.root, resolve(p))))
  const select = (d: Diagnostic): boolean =>
    prefixes.length === 0 || prefixes.some((p) => p === "" || d.file === p || d.file.startsWith(p.endsWith("/") ? p : `${p}/`))
  const byPath = new Map(sources.files.map((f) => [f.path, f.text]))
  const sourceText = (file: string): string | undefined => byPath.get(file) ?? tryRead(resolve(sources.root, file))
  return { sources, select, sourceText }
}

const tryRead = (abs: string): string | undefined => {
  try {
    return readFileSync(abs, "utf8")
  } catch {
    return undefined
  }
}

export const noSpecsWarning = (): Diagnostic => diagnosticAt("TL9002", "no spec files (.yaml, .yml) found", "", WHOLE_FILE)
