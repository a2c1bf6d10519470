// The retry schedule the engine applies to transient step failures, on the TestClock: exponential from
// the spec's initial delay, capped at its max delay, full jitter within [0.5, 1], Retry-After honoured as
// a floor, maxAttempts attempts in all, and nothing retried that the flow classifies as permanent.
import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, Fiber, Ref, TestClock } from "effect"
import { retrySchedule } from "../../runtime/engine/engine.ts"
import { StepFailure } from "../../runtime/engine/errors.ts"
import type { RetryPolicy } from "../../runtime/engine/flow.ts"

const transient = (e: StepFailure) => e.errorClass === "http-5xx" || e.errorClass === "http-429"

/** Runs a step that fails `failures` times (with `make(n)`) then succeeds; returns the attempt times. */
const attempts = (policy: RetryPolicy, failures: number, make: (n: number) => StepFailure, scale = 1) =>
  Effect.gen(function* () {
    const times = yield* Ref.make<number[]>([])
    const step = Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const n = (yield* Ref.updateAndGet(times, (t) => [...t, now])).length
      if (n <= failures) return yield* Effect.fail(make(n))
      return "done"
    })
    const fiber = yield* Effect.fork(Effect.either(Effect.retry(step, retrySchedule(policy, scale, transient))))
    // Move the clock on in small steps until the step gives up or succeeds.
    for (let i = 0; i < 10_000 && fiber.unsafePoll() === null; i++) yield* TestClock.adjust("100 millis")
    const result = yield* Fiber.join(fiber)
    const t = yield* Ref.get(times)
    return { result, delays: t.slice(1).map((x, i) => x - t[i]!) }
  })

const policy: RetryPolicy = { maxAttempts: 6, initialDelay: 1_000, maxDelay: 8_000, multiplier: 2, jitter: false }
const fail5xx = (n: number) => new StepFailure({ errorClass: "http-5xx", reason: `503 #${n}` })

describe("retry schedule", () => {
  it.effect("is exponential from the initial delay and capped at the max delay", () =>
    Effect.gen(function* () {
      const { result, delays } = yield* attempts(policy, 5, fail5xx)
      expect(result._tag).toBe("Right")
      // 1s, 2s, 4s, 8s, then capped at 8s (the clock moves in 100 ms steps).
      expect(delays.map((d) => Math.round(d / 100) * 100)).toEqual([1_000, 2_000, 4_000, 8_000, 8_000])
    })
  )

  it.effect("gives up after maxAttempts attempts with the last failure", () =>
    Effect.gen(function* () {
      const { result, delays } = yield* attempts(policy, 100, fail5xx)
      expect(delays).toHaveLength(policy.maxAttempts - 1)
      expect(result._tag === "Left" && result.left.reason).toBe(`503 #${policy.maxAttempts}`)
    })
  )

  it.effect("waits at least what Retry-After asks", () =>
    Effect.gen(function* () {
      const { result, delays } = yield* attempts(policy, 2, (n) => new StepFailure({ errorClass: "http-429", reason: `429 #${n}`, retryAfter: 30_000 }))
      expect(result._tag).toBe("Right")
      for (const d of delays) expect(d).toBeGreaterThanOrEqual(30_000)
    })
  )

  it.effect("does not retry a permanent failure", () =>
    Effect.gen(function* () {
      const { result, delays } = yield* attempts(policy, 3, (n) => new StepFailure({ errorClass: "validation", reason: `bad #${n}` }))
      expect(delays).toHaveLength(0)
      expect(result._tag === "Left" && result.left.errorClass).toBe("validation")
    })
  )

  it.effect("jitters each delay within half to all of the exponential one", () =>
    Effect.gen(function* () {
      const { delays } = yield* attempts({ ...policy, jitter: true, maxDelay: 60_000 }, 5, fail5xx)
      const base = [1_000, 2_000, 4_000, 8_000, 16_000]
      delays.forEach((d, i) => {
        expect(d).toBeGreaterThanOrEqual(base[i]! * 0.5 - 100)
        expect(d).toBeLessThanOrEqual(base[i]! + 100)
      })
      expect(new Set(delays).size).toBeGreaterThan(1)
    })
  )

  it.effect("scales every delay (the demo and tests shorten them)", () =>
    Effect.gen(function* () {
      const { delays } = yield* attempts(policy, 3, fail5xx, 0.1)
      expect(delays.map((d) => Math.round(d / 100) * 100)).toEqual([100, 200, 400])
    })
  )
})
