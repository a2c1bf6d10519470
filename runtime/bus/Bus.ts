// The Bus: durable delivery of events between flows. Delivery is at least once; handlers are idempotent
// (the engine admits one run per flow and idempotency key), so the effect is exactly once. The embedded
// implementation keeps messages in the Store's database and publishes inside the caller's transaction
// (../store/embedded.ts); a NATS JetStream implementation maps `publish` to a publish with `Nats-Msg-Id: id` and
// `subscribe` to a durable work-queue consumer.
import { Context, Data, type Effect, type Scope } from "effect"

/** A CloudEvents 1.0 envelope (JSON format) with tradelane's extensions. */
export interface Envelope {
  readonly specversion: "1.0"
  readonly id: string
  readonly source: string
  readonly type: string
  readonly subject?: string
  readonly time: string
  readonly datacontenttype: "application/json"
  readonly dataschema?: string
  /** W3C trace context of the step that published it. */
  readonly traceparent: string
  readonly correlationid: string
  /** Business keys (orderId, poNumber, asn, invoice...) of the run that published it. */
  readonly tradelanekeys: Readonly<Record<string, string>>
  readonly data: unknown
}

export class BusError extends Data.TaggedError("BusError")<{ readonly operation: string; readonly cause: unknown }> {
  override get message(): string {
    return `bus: ${this.operation} failed`
  }
}

export interface BusService {
  /**
   * Whether `publish` joins the surrounding Store transaction (the embedded bus). The engine then admits
   * the runs of the flows an event triggers in that same transaction instead of subscribing: the event
   * and the work it starts commit together, with no poll in between.
   */
  readonly inline?: boolean
  /** Publishes an event; on a store-backed bus it joins the surrounding Store transaction. Same id twice = once. */
  readonly publish: (event: Envelope) => Effect.Effect<void, BusError>
  /**
   * Delivers every event of these types to `handler`, in order, from where this consumer left off. A
   * failing handler is retried (the event is not skipped). Runs until the scope closes.
   */
  readonly subscribe: <E, R>(
    consumer: string,
    types: ReadonlyArray<string>,
    handler: (event: Envelope) => Effect.Effect<void, E, R>
  ) => Effect.Effect<void, never, Scope.Scope | R>
}

export class Bus extends Context.Tag("tradelane/runtime/Bus")<Bus, BusService>() {}
