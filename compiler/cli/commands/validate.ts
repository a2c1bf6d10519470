import { Args, Command, Options } from "@effect/cli"
import { Effect } from "effect"
import { atLeast } from "../../diagnostics/diagnostic.ts"
import type { Severity } from "../../diagnostics/diagnostic.ts"
import { FORMATS, formatDiagnostics } from "../../diagnostics/format.ts"
import { existsSync } from "node:fs"
import { join } from "node:path"
import { isSpecPath, SPEC_ROOTS } from "../../source/source.ts"
import { fileValidateCache } from "../../validate/cache.ts"
import { validateSources } from "../../validate/index.ts"
import { ediHooks } from "../guide-shape.ts"
import { loadForCli, noSpecsWarning, UsageError } from "../project.ts"
import { setExit, usageFailure, write } from "../io.ts"

export const formatOption = Options.choice("format", FORMATS).pipe(Options.withDefault("pretty" as const), Options.withDescription("Output format."))
export const failOnOption = Options.choice("fail-on", ["error", "warning", "info"] as const).pipe(
  Options.withDefault("error" as const),
  Options.withDescription("Lowest severity that makes the command exit 1.")
)
export const rootOption = Options.directory("root").pipe(Options.optional, Options.withDescription("Project root (default: the nearest folder above the paths holding specs/ or partners/)."))

export const validateCommand = Command.make(
  "validate",
  {
    paths: Args.path({ name: "paths" }).pipe(Args.repeated, Args.withDescription("Spec files or folders (default: the whole project).")),
    format: formatOption,
    failOn: failOnOption,
    noCache: Options.boolean("no-cache").pipe(Options.withDescription("Ignore and do not update the parse cache (.tradelane/cache): parse every file.")),
    root: rootOption
  },
  ({ paths, format, failOn, noCache, root }) =>
    Effect.gen(function* () {
      const loaded = loadForCli(paths, root._tag === "Some" ? root.value : undefined)
      if (loaded instanceof UsageError) return yield* usageFailure(loaded.message)
      // In a project, what each file alone yields is kept across runs (the findings are the same without it).
      const project = SPEC_ROOTS.some((r) => existsSync(join(loaded.sources.root, r)))
      const result = validateSources(loaded.sources.files, { ...ediHooks, ...(project && !noCache ? { cache: fileValidateCache(loaded.sources.root) } : {}) })
      const diagnostics = [...result.diagnostics.filter(loaded.select), ...(loaded.sources.files.some((f) => isSpecPath(f.path)) ? [] : [noSpecsWarning()])]
      yield* write(formatDiagnostics(format, diagnostics, { sourceText: loaded.sourceText, color: format === "pretty" && process.stdout.isTTY === true }))
      yield* setExit(diagnostics.some((d) => atLeast(d.severity, failOn as Severity)) ? 1 : 0)
    })
).pipe(Command.withDescription("Validate specs: YAML, schemas, references, mappings, lifecycles, secrets and policies. Exit 0 clean, 1 findings, 2 usage or I/O error."))
