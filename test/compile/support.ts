// Helpers for the compile tests: load an organisation, compile it in memory, write a tree to a scratch
// folder inside the repository (so node_modules and runtime/ resolve) and type-check it.
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import ts from "typescript"
import { guideShape } from "../../compiler/cli/guide-shape.ts"
import { compileModel } from "../../compiler/emit/index.ts"
import type { CompileOptions, CompileOutput } from "../../compiler/emit/index.ts"
import type { EmittedFile } from "../../compiler/emit/names.ts"
import type { Model } from "../../compiler/model/model.ts"
import type { SourceFile } from "../../compiler/source/source.ts"
import { loadProject } from "../../compiler/source/source.ts"
import { validateSources } from "../../compiler/validate/index.ts"

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..")
export const SCRATCH = join(REPO, ".tradelane", "tmp")

export const loadOrg = (root: string): ReadonlyArray<SourceFile> => loadProject(root).files

export const validOrg = (files: ReadonlyArray<SourceFile>): Model => {
  const r = validateSources(files, { guideShape })
  const errors = r.diagnostics.filter((d) => d.severity === "error")
  if (errors.length > 0) throw new Error(`the organisation does not validate:\n${errors.map((d) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`).join("\n")}`)
  return r.model
}

export const compileOrg = (files: ReadonlyArray<SourceFile>, options: CompileOptions = {}): Promise<CompileOutput> =>
  compileModel(validOrg(files), { guideShape, ...options })

/** Writes files (project-root-relative) under `SCRATCH/<name>`, with runtime/ linked to the repository's. */
export const writeScratch = (name: string, files: ReadonlyArray<EmittedFile>): string => {
  const dir = join(SCRATCH, name)
  rmSync(dir, { recursive: true, force: true })
  for (const f of files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true })
    writeFileSync(join(dir, f.path), f.text)
  }
  if (!existsSync(join(dir, "runtime"))) symlinkSync(join(REPO, "runtime"), join(dir, "runtime"), "dir")
  return dir
}

const compilerOptions = (): ts.CompilerOptions => {
  const config = ts.readConfigFile(join(REPO, "tsconfig.json"), (p) => ts.sys.readFile(p))
  return ts.parseJsonConfigFileContent(config.config, ts.sys, REPO).options
}

/** Type-checks the given files with the repository's strict options; returns readable errors. */
export const typecheck = (rootNames: ReadonlyArray<string>, keep: (file: string) => boolean = () => true): string[] => {
  const program = ts.createProgram({ rootNames: [...rootNames], options: { ...compilerOptions(), noEmit: true } })
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file === undefined || keep(d.file.fileName))
    .map((d) => {
      const where = d.file && d.start !== undefined ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : ""
      return `${where}${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`
    })
}

/** The .ts files of a compile output under a scratch folder. */
export const tsFiles = (dir: string, files: ReadonlyArray<EmittedFile>): string[] => files.filter((f) => f.path.endsWith(".ts")).map((f) => join(dir, f.path))

/** Deep-freezes plain data (objects, arrays, maps, sets); functions are left alone. */
export const deepFreeze = <T>(value: T, seen = new Set<unknown>()): T => {
  if (typeof value !== "object" || value === null || seen.has(value)) return value
  seen.add(value)
  if (value instanceof Map) {
    for (const [k, v] of value) {
      deepFreeze(k, seen)
      deepFreeze(v, seen)
    }
    const frozen = value as unknown as Map<unknown, unknown>
    frozen.set = frozen.delete = () => {
      throw new TypeError("frozen map")
    }
    frozen.clear = () => {
      throw new TypeError("frozen map")
    }
  } else if (value instanceof Set) {
    for (const v of value) deepFreeze(v, seen)
    const frozen = value as unknown as Set<unknown>
    frozen.add = frozen.delete = () => {
      throw new TypeError("frozen set")
    }
  } else for (const v of Object.values(value)) deepFreeze(v, seen)
  return Object.freeze(value)
}
