import { Command, Options } from "@effect/cli"
import { Effect } from "effect"
import { atLeast } from "../../diagnostics/diagnostic.ts"
import type { Diagnostic } from "../../diagnostics/diagnostic.ts"
import { formatDiagnostics } from "../../diagnostics/format.ts"
import { emitterFingerprint, fileCache } from "../../emit/cache.ts"
import type { FileCache } from "../../emit/cache.ts"
import { compileModel } from "../../emit/index.ts"
import type { CompileOutput } from "../../emit/index.ts"
import { applyDiff, diffDiagnostics, diffTree } from "../../emit/write.ts"
import { isSpecPath } from "../../source/source.ts"
import { fileValidateCache } from "../../validate/cache.ts"
import { validateSources } from "../../validate/index.ts"
import { guideShape } from "../guide-shape.ts"
import { loadForCli, noSpecsWarning, UsageError } from "../project.ts"
import type { LoadedProject } from "../project.ts"
import { setExit, usageFailure, write, writeErr } from "../io.ts"
import { formatOption, rootOption } from "./validate.ts"

export interface CompiledProject {
  readonly loaded: LoadedProject
  /** Validation and compile findings; when any is an error, `output` is absent. */
  readonly diagnostics: ReadonlyArray<Diagnostic>
  readonly output?: CompileOutput
  /** The unit cache the compile used (its manifest is saved once the tree is written or checked). */
  readonly cache?: FileCache
}

/** validate -> compile, for the CLI: the project's specs in, the emitted list (or the findings) out. */
export const compileProject = (
  root: string | undefined,
  options: { readonly cache?: boolean; readonly verify?: boolean; readonly progress?: boolean } = {}
): Effect.Effect<CompiledProject | UsageError> =>
  Effect.gen(function* () {
    const loaded = loadForCli([], root)
    if (loaded instanceof UsageError) return loaded
    const validated = validateSources(loaded.sources.files, { guideShape, ...(options.cache === false ? {} : { cache: fileValidateCache(loaded.sources.root) }) })
    const found: Diagnostic[] = [...validated.diagnostics, ...(loaded.sources.files.some((f) => isSpecPath(f.path)) ? [] : [noSpecsWarning()])]
    if (found.some((d) => d.severity === "error")) return { loaded, diagnostics: found }
    const showProgress = options.progress === true && process.stderr.isTTY === true
    const cache = options.cache === false ? undefined : fileCache(loaded.sources.root, { verify: options.verify === true })
    const output = yield* Effect.promise(() =>
      compileModel(validated.model, {
        guideShape,
        fingerprint: emitterFingerprint(),
        cache,
        progress: showProgress ? (done, total) => (done === total || done % 50 === 0 ? process.stderr.write(`\rcompiling ${done}/${total} units`) && undefined : undefined) : undefined
      })
    )
    if (showProgress) yield* writeErr("\r\u001b[K")
    const diagnostics = [...found, ...output.diagnostics]
    return diagnostics.some((d) => d.severity === "error") ? { loaded, diagnostics } : { loaded, diagnostics, output, ...(cache ? { cache } : {}) }
  })

export const compileCommand = Command.make(
  "compile",
  {
    check: Options.boolean("check").pipe(Options.withDescription("Write nothing; exit 1 listing every generated file that is drifted, missing or extra.")),
    noCache: Options.boolean("no-cache").pipe(Options.withDescription("Ignore and do not update the caches (.tradelane/cache): parse every file and emit every unit.")),
    format: formatOption,
    root: rootOption
  },
  ({ check, noCache, format, root }) =>
    Effect.gen(function* () {
      const compiled = yield* compileProject(root._tag === "Some" ? root.value : undefined, { cache: !noCache, verify: check, progress: format === "pretty" })
      if (compiled instanceof UsageError) return yield* usageFailure(compiled.message)
      const { loaded, output } = compiled
      const color = format === "pretty" && process.stdout.isTTY === true
      if (output === undefined) {
        yield* write(formatDiagnostics(format, compiled.diagnostics, { sourceText: loaded.sourceText, color }))
        return yield* setExit(1)
      }
      const diff = diffTree(loaded.sources.root, output.files, compiled.cache?.tree)
      const warnings = compiled.diagnostics.filter((d) => !atLeast(d.severity, "error"))
      if (check) {
        const drift = diffDiagnostics(diff)
        if (format === "pretty") {
          if (drift.length === 0) yield* write(`generated files are up to date (${output.files.length} files)\n`)
          else {
            const lines = [
              ...diff.drifted.map((p) => `  drifted  ${p}`),
              ...diff.missing.map((p) => `  missing  ${p}`),
              ...diff.extra.map((p) => `  extra    ${p}`)
            ]
            yield* write(`generated files are out of date with the specs:\n${lines.join("\n")}\nrun \`tradelane compile\` and commit the result\n`)
          }
        } else yield* write(formatDiagnostics(format, [...warnings, ...drift], { color }))
        compiled.cache?.save()
        return yield* setExit(drift.length > 0 ? 1 : 0)
      }
      applyDiff(loaded.sources.root, output.files, diff, compiled.cache?.tree)
      compiled.cache?.save()
      const written = diff.drifted.length + diff.missing.length
      if (format === "pretty") {
        if (warnings.length > 0) yield* write(formatDiagnostics(format, warnings, { sourceText: loaded.sourceText, color }))
        yield* write(
          `compiled ${output.stats.units} units (${output.stats.cached} from cache) into ${output.files.length} files: ${written} written, ${diff.extra.length} deleted, ${diff.unchanged} unchanged\n`
        )
      } else yield* write(formatDiagnostics(format, warnings, { color }))
      return yield* setExit(0)
    })
).pipe(
  Command.withDescription(
    "Compile the specs into generated/ (types, validators, mappings, flows, registry, ops artifacts), .github/CODEOWNERS and docs/diagnostics.md. With --check, write nothing and exit 1 on drift."
  )
)
