import { Effect } from "effect"

export const write = (text: string): Effect.Effect<void> => Effect.sync(() => void process.stdout.write(text))
export const writeErr = (text: string): Effect.Effect<void> => Effect.sync(() => void process.stderr.write(text))

/** Exit codes: 0 pass, 1 findings, 2 usage or I/O error. Set, never `process.exit`, so output flushes. */
export const setExit = (code: 0 | 1 | 2): Effect.Effect<void> =>
  Effect.sync(() => {
    if (code > Number(process.exitCode ?? 0)) process.exitCode = code
  })

export const usageFailure = (message: string): Effect.Effect<void> =>
  Effect.zipRight(writeErr(`tradelane: ${message}\n`), setExit(2))

/** An error's message, with its cause's when it has one (a StoreError says which operation; its cause says why). */
export const reason = (e: unknown): string => {
  const text = e instanceof Error ? e.message : String(e)
  const cause = typeof e === "object" && e !== null && "cause" in e ? (e as { cause: unknown }).cause : undefined
  return cause instanceof Error && !text.includes(cause.message) ? `${text}: ${cause.message}` : text
}
