import { Command, Options } from "@effect/cli"
import { Effect, Option } from "effect"
import { appendFileSync, writeFileSync } from "node:fs"
import type { Severity } from "../../diagnostics/diagnostic.ts"
import { formatGithub, formatSarif } from "../../diagnostics/format.ts"
import { GitError, readTreeAt, repoRoot } from "../../plan/git.ts"
import { plan, planFailed } from "../../plan/index.ts"
import { renderComment, renderJson, renderMarkdown, summaryLine } from "../../plan/render.ts"
import { loadProject } from "../../source/source.ts"
import { ediHooks } from "../guide-shape.ts"
import { setExit, usageFailure, write } from "../io.ts"
import { failOnOption } from "./validate.ts"

const fromEnv = (name: string): string[] =>
  (process.env[name] ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)

export const planCommand = Command.make(
  "plan",
  {
    base: Options.text("base").pipe(Options.withDescription("Git ref of the base tree (e.g. origin/main).")),
    head: Options.text("head").pipe(Options.optional, Options.withDescription("Git ref of the head tree (default: the working tree).")),
    format: Options.choice("format", ["markdown", "json", "github"] as const).pipe(Options.withDefault("markdown" as const)),
    labels: Options.text("label").pipe(Options.repeated, Options.withDescription("A pull-request label (waivers); also TRADELANE_PR_LABELS=a,b.")),
    reviewers: Options.text("reviewer").pipe(Options.repeated, Options.withDescription("A requested reviewer (@user or @org/team); also TRADELANE_PR_REVIEWERS.")),
    out: Options.file("out").pipe(Options.optional, Options.withDescription("Write the full Markdown plan here (the artifact).")),
    comment: Options.file("comment").pipe(Options.optional, Options.withDescription("Write the comment-sized Markdown here (under 64 KB).")),
    sarif: Options.file("sarif").pipe(Options.optional, Options.withDescription("Write the findings as SARIF here.")),
    failOn: failOnOption
  },
  (o) =>
    Effect.gen(function* () {
      const repo = repoRoot(process.cwd())
      if (repo instanceof GitError) return yield* usageFailure(repo.message)
      const baseFiles = readTreeAt(repo, o.base)
      if (baseFiles instanceof GitError) return yield* usageFailure(baseFiles.message)
      const headRef = Option.getOrUndefined(o.head)
      const headFiles = headRef === undefined ? loadProject(repo).files : readTreeAt(repo, headRef)
      if (headFiles instanceof GitError) return yield* usageFailure(headFiles.message)
      const reviewers = [...o.reviewers, ...fromEnv("TRADELANE_PR_REVIEWERS")]
      const result = plan({
        base: { ref: o.base, files: baseFiles },
        head: { ref: headRef ?? "working tree", files: headFiles },
        labels: [...o.labels, ...fromEnv("TRADELANE_PR_LABELS")],
        ...(reviewers.length > 0 || process.env["TRADELANE_PR_REVIEWERS"] !== undefined ? { reviewers } : {}),
        validate: ediHooks
      })
      const markdown = renderMarkdown(result)
      if (Option.isSome(o.out)) writeFileSync(o.out.value, markdown)
      if (Option.isSome(o.comment)) writeFileSync(o.comment.value, renderComment(result))
      if (Option.isSome(o.sarif)) writeFileSync(o.sarif.value, formatSarif(result.findings))
      if (o.format === "json") yield* write(renderJson(result))
      else if (o.format === "markdown") yield* write(markdown)
      else {
        yield* write(formatGithub(result.findings))
        yield* write(`::notice title=tradelane plan::${summaryLine(result)}\n`)
        const summaryFile = process.env["GITHUB_STEP_SUMMARY"]
        if (summaryFile) appendFileSync(summaryFile, renderComment(result) + "\n")
      }
      yield* setExit(planFailed(result, o.failOn as Severity) ? 1 : 0)
    })
).pipe(Command.withDescription("Show what a change to the specs does, against a base git ref: semantic diff, breaking-change verdicts, impact, shadow run of mapping fixtures, change-time policies."))
