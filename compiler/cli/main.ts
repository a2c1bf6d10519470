// The `tradelane` command line.
import { Command, ValidationError } from "@effect/cli"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Effect } from "effect"
import { compileCommand } from "./commands/compile.ts"
import { demoCommand } from "./commands/demo.ts"
import { dlqCommand } from "./commands/dlq.ts"
import { runCommand } from "./commands/run.ts"
import { traceCommand } from "./commands/trace.ts"
import { explainCommand } from "./commands/explain.ts"
import { testCommand } from "./commands/test.ts"
import { ediCommand } from "./commands/edi.ts"
import { newCommand } from "./commands/new.ts"
import { planCommand } from "./commands/plan.ts"
import { validateCommand } from "./commands/validate.ts"
import { setExit } from "./io.ts"

const tradelane = Command.make("tradelane").pipe(
  Command.withDescription("Keeps an ERP in step with marketplaces, EDI partners and warehouses, from specs in git."),
  Command.withSubcommands([validateCommand, compileCommand, testCommand, planCommand, newCommand, ediCommand, explainCommand, runCommand, demoCommand, traceCommand, dlqCommand])
)

const cli = Command.run(tradelane, { name: "tradelane", version: "0.1.0" })

cli(process.argv).pipe(
  // @effect/cli has already printed what was wrong with the arguments; usage errors exit 2.
  Effect.catchIf(ValidationError.isValidationError, () => setExit(2)),
  Effect.provide(NodeContext.layer),
  NodeRuntime.runMain({ disableErrorReporting: false })
)
