import { Args, Command, Options } from "@effect/cli"
import { Effect, Option } from "effect"
import { bandOf, CATALOG, renderCatalogMarkdown } from "../../diagnostics/catalog.ts"
import { didYouMean } from "../../diagnostics/didyoumean.ts"
import { setExit, usageFailure, write } from "../io.ts"

export const explainCommand = Command.make(
  "explain",
  {
    code: Args.text({ name: "code" }).pipe(Args.optional, Args.withDescription("A diagnostic code, e.g. TL4001.")),
    all: Options.boolean("all").pipe(Options.withDescription("Print the whole catalog as Markdown (docs/diagnostics.md)."))
  },
  ({ code, all }) =>
    Effect.gen(function* () {
      if (all) return yield* write(renderCatalogMarkdown())
      if (Option.isNone(code)) return yield* usageFailure("explain needs a code (e.g. tradelane explain TL4001) or --all")
      const wanted = code.value.toUpperCase()
      const entry = CATALOG.get(wanted)
      if (!entry) {
        const s = didYouMean(wanted, CATALOG.keys())
        yield* usageFailure(`unknown diagnostic code '${code.value}'${s ? `; did you mean '${s}'?` : ""}`)
        return yield* setExit(2)
      }
      const lines = [`${entry.code} (${bandOf(entry.code)}, ${entry.severity}): ${entry.title}`, "", entry.explanation]
      if (entry.example) lines.push("", "Example:", ...entry.example.split("\n").map((l) => `    ${l}`))
      yield* write(lines.join("\n") + "\n")
    })
).pipe(Command.withDescription("Explain a diagnostic code."))
