import { Args, Command, Options } from "@effect/cli"
import { Effect } from "effect"
import { existsSync, mkdirSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { parse } from "yaml"
import { formatPretty } from "../../diagnostics/format.ts"
import type { MappingNode } from "../../model/model.ts"
import { loadMapping } from "../../plan/shadow.ts"
import { scaffoldPartner } from "../../scaffold/partner.ts"
import { findProjectRoot, loadProject } from "../../source/source.ts"
import { validateSources } from "../../validate/index.ts"
import { ediHooks } from "../guide-shape.ts"
import { setExit, usageFailure, write } from "../io.ts"

const partnerCommand = Command.make(
  "partner",
  {
    name: Args.text({ name: "name" }).pipe(Args.withDescription("The partner's name: lower-case letters, digits and '-'.")),
    type: Options.choice("type", ["edi", "marketplace", "warehouse"] as const).pipe(Options.withDescription("What kind of partner.")),
    owners: Options.text("owner").pipe(Options.repeated, Options.withDescription("A code owner (@org/team); repeatable."))
  },
  ({ name, type, owners }) =>
    Effect.gen(function* () {
      if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(name)) return yield* usageFailure(`'${name}' is not a valid partner name: lower-case letters, digits and '-', starting and ending with a letter or digit`)
      const root = findProjectRoot(process.cwd()) ?? process.cwd()
      if (existsSync(join(root, "partners", name))) return yield* usageFailure(`partners/${name} already exists`)
      const project = loadProject(root)
      const before = validateSources(project.files, ediHooks)
      const scaffold = scaffoldPartner(before.model, { name, type, owners: owners.length ? owners : ["@your-org/your-team"] }, ediHooks.guideShape)
      // Placeholder fixtures: the expected output is what the skeleton mapping produces today.
      const files = [...scaffold.files]
      for (const f of scaffold.files) {
        const m = /^partners\/[^/]+\/tests\/([^/]+)\/placeholder\.input\.json$/.exec(f.path)
        if (!m) continue
        const mappingFile = scaffold.files.find((x) => x.path.endsWith(`/mappings/${m[1]}.yaml`))
        if (!mappingFile) continue
        const doc = parse(mappingFile.text) as { metadata: { name: string }; spec: MappingNode["spec"] }
        const apply = loadMapping({ name: doc.metadata.name, spec: doc.spec } as MappingNode)
        if (typeof apply === "string") continue
        files.push({ path: f.path.replace(".input.json", ".expected.json"), text: JSON.stringify(apply(JSON.parse(f.text)), null, 2) + "\n" })
      }
      for (const f of files) {
        mkdirSync(dirname(join(root, f.path)), { recursive: true })
        writeFileSync(join(root, f.path), f.text)
      }
      const after = validateSources(loadProject(root).files, ediHooks).diagnostics.filter((d) => d.file.startsWith(`partners/${name}/`))
      const lines = [`Created partners/${name} (${type}):`, ...files.map((f) => `  ${f.path}`).sort(), "", "Left to fill in:", ...scaffold.todo.map((t) => `  - ${t}`), ""]
      if (after.length) lines.push("The new folder does not validate yet:", formatPretty(after))
      else lines.push(`npx tradelane validate partners/${name}: no findings.`)
      yield* write(lines.join("\n") + "\n")
      yield* setExit(after.some((d) => d.severity === "error") ? 1 : 0)
    })
).pipe(Command.withDescription("Scaffold a partner folder that validates: partner spec, guide stubs, payload schemas, mapping skeletons, placeholder fixtures."))

export const newCommand = Command.make("new").pipe(
  Command.withDescription("Scaffold new specs."),
  Command.withSubcommands([partnerCommand])
)
