import { Args, Command, Options } from "@effect/cli"
import { Effect, Option } from "effect"
import type { Guide } from "../../../runtime/edi/index.ts"
import type { CliResult, EdiCliOptions } from "../../../runtime/edi/cli.ts"
import { ediAck, ediParse, ediValidate } from "../../../runtime/edi/cli.ts"
import { findProjectRoot, loadProject } from "../../source/source.ts"
import { validateSources } from "../../validate/index.ts"
import { ediHooks } from "../guide-shape.ts"
import { setExit, usageFailure, write, writeErr } from "../io.ts"

const file = Args.file({ name: "file", exists: "yes" }).pipe(Args.withDescription("An X12 file (one or more interchanges)."))
const partner = Options.text("partner").pipe(Options.optional, Options.withDescription("Read with this partner's guides (default: whichever guides fit)."))

/** The guides of the project's model: a partner's, or all of them. */
const guidesFor = (p: Option.Option<string>): { guides: Guide[] } | { error: string } => {
  const root = findProjectRoot(process.cwd())
  if (root === undefined) return { guides: [] }
  const { model } = validateSources(loadProject(root).files, ediHooks)
  if (Option.isSome(p) && !model.partners.has(p.value)) return { error: `unknown partner '${p.value}'` }
  const guides = [...model.guides.values()].filter((g) => Option.isNone(p) || g.partner === p.value).map((g) => g.spec as unknown as Guide)
  return { guides }
}

const runEdi = (fn: (file: string, o: EdiCliOptions) => Promise<CliResult>, path: string, p: Option.Option<string>, format?: "json" | "pretty") =>
  Effect.gen(function* () {
    const g = guidesFor(p)
    if ("error" in g) return yield* usageFailure(g.error)
    const result = yield* Effect.promise(() => fn(path, { guides: g.guides, ...(Option.isSome(p) ? { partner: p.value } : {}), ...(format ? { format } : {}) }))
    yield* write(result.stdout)
    yield* writeErr(result.stderr)
    yield* setExit(result.exitCode)
  })

const parseCommand = Command.make(
  "parse",
  { file, partner, format: Options.choice("format", ["pretty", "json"] as const).pipe(Options.withDefault("pretty" as const)) },
  ({ file, partner, format }) => runEdi(ediParse, file, partner, format)
).pipe(Command.withDescription("Parse an X12 file: envelopes, sets, and the structured JSON of each set whose guide fits."))

const validateEdiCommand = Command.make("validate", { file, partner }, ({ file, partner }) => runEdi(ediValidate, file, partner)).pipe(
  Command.withDescription("Validate envelopes, control numbers, segments, elements and guide rules; exit 1 with positioned findings.")
)

const ackCommand = Command.make("ack", { file, partner }, ({ file, partner }) => runEdi(ediAck, file, partner)).pipe(
  Command.withDescription("Print the 997/999 (and TA1) tradelane would send back for the file.")
)

export const ediCommand = Command.make("edi").pipe(
  Command.withDescription("X12 tools: parse, validate, ack."),
  Command.withSubcommands([parseCommand, validateEdiCommand, ackCommand])
)
