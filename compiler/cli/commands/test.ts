import { Args, Command, Options } from "@effect/cli"
import { Effect } from "effect"
import { formatDiagnostics } from "../../diagnostics/format.ts"
import { fixturesFailed, formatFixtureResults, runFixtures } from "../../emit/fixtures.ts"
import { validateSources } from "../../validate/index.ts"
import { guideShape } from "../guide-shape.ts"
import { loadForCli, UsageError } from "../project.ts"
import { setExit, usageFailure, write } from "../io.ts"
import { rootOption } from "./validate.ts"

export const testCommand = Command.make(
  "test",
  {
    mappings: Args.text({ name: "mapping" }).pipe(Args.repeated, Args.withDescription("Only these mappings' fixtures (default: all).")),
    format: Options.choice("format", ["pretty", "json"] as const).pipe(Options.withDefault("pretty" as const), Options.withDescription("Output format.")),
    root: rootOption
  },
  ({ mappings, format, root }) =>
    Effect.gen(function* () {
      const loaded = loadForCli([], root._tag === "Some" ? root.value : undefined)
      if (loaded instanceof UsageError) return yield* usageFailure(loaded.message)
      const validated = validateSources(loaded.sources.files, { guideShape })
      const errors = validated.diagnostics.filter((d) => d.severity === "error")
      if (errors.length > 0) {
        yield* write(formatDiagnostics(format === "json" ? "json" : "pretty", errors, { sourceText: loaded.sourceText, color: process.stdout.isTTY === true && format === "pretty" }))
        return yield* setExit(1)
      }
      const wanted = new Set(mappings)
      for (const m of wanted) if (!validated.model.mappings.has(m)) return yield* usageFailure(`no mapping named '${m}'`)
      const model = wanted.size === 0 ? validated.model : { ...validated.model, fixtures: validated.model.fixtures.filter((f) => wanted.has(f.mapping)) }
      const results = yield* Effect.promise(() => runFixtures(model, { guideShape, read: loaded.sourceText }))
      yield* write(format === "json" ? `${JSON.stringify(results, null, 2)}\n` : formatFixtureResults(results, process.stdout.isTTY === true))
      return yield* setExit(fixturesFailed(results) ? 1 : 0)
    })
).pipe(
  Command.withDescription(
    "Run every mapping fixture (partners/<p>/tests/<mapping>/<case>.input.* against <case>.expected.json) through the compiled mapping, and through the jsonata interpreter as a cross-check. Exit 1 on any mismatch."
  )
)
