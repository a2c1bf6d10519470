// The definition of a flow, as generated code builds it: a trigger, the keys, the policies and a typed
// pipeline of steps. Each combinator takes the payload type of the previous step and gives the next one,
// so a generated module only type-checks when trigger payload -> mapping source -> mapping target ->
// outbound type line up. A definition is data plus pure functions; the engine turns it into the Effect
// program that runs it (runtime/engine/run.ts).
import { type Pipeable, pipeArguments } from "effect/Pipeable"

export type Criticality = "low" | "medium" | "high" | "critical"

export type TransientClass = "network" | "timeout" | "http-5xx" | "http-429" | "http-409"
export type PermanentClass = "validation" | "mapping" | "http-4xx" | "edi-syntax"
export type PolicyClass = "lifecycle" | "waiting" | "credit-hold"
export type ErrorClass = TransientClass | PermanentClass | PolicyClass

/** Where in the specs something was declared: the repository-relative file and the JSON path in it. */
export interface SpecRef {
  readonly file: string
  readonly path: string
}

// ---- partner connectivity, as declared in partner.yaml (secrets by reference only) ----------------

export type SecretRef = { readonly env: string } | { readonly file: string }

export interface HttpAuth {
  readonly type: "bearer" | "basic" | "api-key" | "oauth2-client-credentials" | "lwa"
  readonly header?: string
  readonly token?: SecretRef
  readonly username?: SecretRef
  readonly password?: SecretRef
  readonly key?: SecretRef
  readonly tokenUrl?: string
  readonly clientId?: SecretRef
  readonly clientSecret?: SecretRef
  readonly refreshToken?: SecretRef
  readonly scopes?: ReadonlyArray<string>
}

export interface HttpOperation {
  readonly name: string
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE"
  readonly path: string
  readonly idempotencyHeader?: string
  /** Milliseconds. */
  readonly timeout?: number
}

export interface HttpPartner {
  readonly partner: string
  readonly baseUrl: string
  /** Milliseconds. */
  readonly timeout?: number
  readonly auth?: HttpAuth
  readonly headers?: Readonly<Record<string, string>>
  readonly rateLimit?: { readonly requestsPerSecond: number; readonly burst?: number }
}

export interface WebhookIngress {
  readonly partner: string
  readonly path: string
  readonly topic: string
  readonly signature?: { readonly header: string; readonly encoding: "base64" | "hex"; readonly secret: SecretRef }
  readonly maxBodyBytes: number
}

export interface EdiIdentityDecl {
  readonly qualifier: string
  readonly id: string
  readonly gsId?: string
}

export interface EdiPartner {
  readonly partner: string
  readonly inbox: string
  readonly outbox: string
  readonly archive: string
  readonly quarantine: string
  readonly partnerId: EdiIdentityDecl
  readonly us: EdiIdentityDecl
  readonly version: string
  readonly groupVersion?: string
  readonly usage?: "P" | "T"
  readonly delimiters?: { readonly element?: string; readonly component?: string; readonly segment?: string; readonly repetition?: string }
  readonly acknowledgment?: { readonly send?: "997" | "999" | "none"; readonly expect?: "997" | "999" | "none"; readonly within?: string; readonly requestTA1?: boolean }
  /** Guide specs (kind: Guide `spec`) by transaction set, for the documents exchanged with this partner. */
  readonly guides: Readonly<Record<string, unknown>>
}

export interface Warehouse {
  readonly code: string
  readonly region?: string
  readonly serviceLevels: ReadonlyArray<string>
  readonly priority?: number
  readonly constraints?: {
    readonly hazmat?: boolean
    readonly maxWeightKg?: number
    readonly channels?: ReadonlyArray<string>
    readonly carriers?: ReadonlyArray<string>
  }
}

export interface LifecycleTransition {
  readonly from: ReadonlyArray<string>
  readonly to: string
  readonly owner: string
}

/** What an event does to a lifecycle: creates it (the initial state) or moves it along a transition. */
export interface LifecycleEffect {
  readonly lifecycle: string
  /** Business key naming the instance, e.g. orderId. */
  readonly key: string
  readonly states: ReadonlyArray<string>
  readonly creates?: string
  readonly transitions: ReadonlyArray<LifecycleTransition>
}

// ---- triggers ----------------------------------------------------------------------------------

export type Trigger =
  | { readonly _tag: "webhook"; readonly ingress: WebhookIngress }
  | { readonly _tag: "edi"; readonly partner: string; readonly document: string; readonly edi: EdiPartner }
  | { readonly _tag: "event"; readonly type: string }
  | {
      readonly _tag: "schedule"
      readonly cron: string
      readonly call?: { readonly http: HttpPartner; readonly operation: HttpOperation }
      /** Path to the array in the response whose items are one run each; empty = the response is one run. */
      readonly items: ReadonlyArray<string>
    }

export const webhook = (ingress: WebhookIngress): Trigger => ({ _tag: "webhook", ingress })
export const edi = (partner: string, document: string, config: EdiPartner): Trigger => ({ _tag: "edi", partner, document, edi: config })
export const event = (type: string): Trigger => ({ _tag: "event", type })
export const schedule = (
  cron: string,
  options: { readonly call?: { readonly http: HttpPartner; readonly operation: HttpOperation }; readonly items?: ReadonlyArray<string> } = {}
): Trigger => ({ _tag: "schedule", cron, ...(options.call ? { call: options.call } : {}), items: options.items ?? [] })

// ---- steps -------------------------------------------------------------------------------------

/** A compiled ajv validator (generated/validators): returns whether the data is valid, errors on the function. */
export interface Validator {
  (data: unknown): boolean
  errors?: ReadonlyArray<{ readonly instancePath?: string; readonly message?: string; readonly params?: unknown }> | null
}

export interface MappingRef<A, B> {
  readonly name: string
  readonly spec: SpecRef
  readonly apply: (input: A) => B
}

export type Action =
  | { readonly _tag: "map"; readonly mapping: MappingRef<unknown, unknown> }
  | { readonly _tag: "validate"; readonly entity: string; readonly validate: Validator }
  | {
      readonly _tag: "enrich"
      readonly http: HttpPartner
      readonly operation: HttpOperation
      readonly into: string
      readonly key?: (payload: unknown) => unknown
    }
  | {
      readonly _tag: "route"
      readonly partner: string
      readonly by: ReadonlyArray<"availability" | "service-level" | "constraints" | "region" | "priority">
      readonly warehouses: ReadonlyArray<Warehouse>
      readonly serviceLevel?: (payload: unknown) => unknown
    }
  | { readonly _tag: "call"; readonly http: HttpPartner; readonly operation: HttpOperation; readonly mapping?: MappingRef<unknown, unknown> }
  | { readonly _tag: "send"; readonly edi: EdiPartner; readonly document: string; readonly mapping?: MappingRef<unknown, unknown> }
  | { readonly _tag: "acknowledge"; readonly edi: EdiPartner }
  | {
      readonly _tag: "emit"
      readonly event: string
      readonly version: number
      /** The system the event is attributed to (the owner the lifecycle guard checks). */
      readonly system: string
      readonly lifecycle: ReadonlyArray<LifecycleEffect>
    }

export interface Step {
  readonly id: string
  readonly spec: SpecRef
  readonly when?: (payload: unknown) => boolean
  readonly action: Action
}

export interface RetryPolicy {
  readonly maxAttempts: number
  /** Milliseconds. */
  readonly initialDelay: number
  /** Milliseconds. */
  readonly maxDelay: number
  readonly multiplier: number
  readonly jitter: boolean
}

export interface ErrorPolicy {
  readonly transient: ReadonlyArray<TransientClass>
  readonly permanent: ReadonlyArray<PermanentClass>
  readonly policy: ReadonlyArray<PolicyClass>
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, initialDelay: 1000, maxDelay: 60_000, multiplier: 2, jitter: true }
export const DEFAULT_ERRORS: ErrorPolicy = {
  transient: ["network", "timeout", "http-5xx", "http-429"],
  permanent: ["validation", "mapping", "http-4xx", "edi-syntax"],
  policy: ["lifecycle", "waiting"]
}

const TypeId: unique symbol = Symbol.for("tradelane/runtime/Flow")
export type TypeId = typeof TypeId

/** A flow whose trigger delivers `T` and whose pipeline so far produces `A`. */
export interface Flow<in T, out A> extends Pipeable {
  readonly [TypeId]: { readonly _T: (t: T) => void; readonly _A: () => A }
  readonly name: string
  readonly spec: SpecRef
  readonly criticality: Criticality
  readonly owners: ReadonlyArray<string>
  readonly trigger: Trigger
  /** Over the trigger payload; duplicates are dropped before any side effect. */
  readonly idempotencyKey: (payload: T) => unknown
  /** Over the trigger payload: orderId, poNumber, asn, invoice... -> value. */
  readonly businessKeys: (payload: T) => Readonly<Record<string, unknown>>
  /** Events that must have happened (for one of the run's business keys) before the flow runs. */
  readonly requires: ReadonlyArray<string>
  readonly retry: RetryPolicy
  readonly errors: ErrorPolicy
  readonly deadLetter: { readonly enabled: boolean; readonly retention?: number }
  readonly steps: ReadonlyArray<Step>
}

/** Any flow, as the engine sees it. */
export type AnyFlow = Flow<never, unknown>

export const isFlow = (u: unknown): u is AnyFlow => typeof u === "object" && u !== null && TypeId in u

const proto = {
  pipe(this: unknown) {
    // eslint-disable-next-line prefer-rest-params
    return pipeArguments(this, arguments)
  }
}

export interface FlowOptions<T> {
  readonly name: string
  readonly spec: SpecRef
  readonly criticality: Criticality
  readonly owners?: ReadonlyArray<string>
  readonly trigger: Trigger
  readonly idempotencyKey: (payload: T) => unknown
  readonly businessKeys?: (payload: T) => Readonly<Record<string, unknown>>
  readonly requires?: ReadonlyArray<string>
  readonly retry?: Partial<RetryPolicy>
  readonly errors?: Partial<ErrorPolicy>
  readonly deadLetter?: { readonly enabled: boolean; readonly retention?: number }
}

const build = <T, A>(fields: Omit<Flow<T, A>, TypeId | "pipe">): Flow<T, A> => {
  const f = Object.create(proto) as Record<PropertyKey, unknown>
  Object.assign(f, fields)
  f[TypeId] = TypeId
  return f as unknown as Flow<T, A>
}

/** Starts a flow whose trigger delivers `T`; the pipeline is added with `.pipe(map(...), emit(...))`. */
export const make = <T>(options: FlowOptions<T>): Flow<T, T> =>
  build<T, T>({
    name: options.name,
    spec: options.spec,
    criticality: options.criticality,
    owners: options.owners ?? [],
    trigger: options.trigger,
    idempotencyKey: options.idempotencyKey,
    businessKeys: options.businessKeys ?? (() => ({})),
    requires: options.requires ?? [],
    retry: { ...DEFAULT_RETRY, ...options.retry },
    errors: {
      transient: options.errors?.transient ?? DEFAULT_ERRORS.transient,
      permanent: options.errors?.permanent ?? DEFAULT_ERRORS.permanent,
      policy: options.errors?.policy ?? DEFAULT_ERRORS.policy
    },
    deadLetter: options.deadLetter ?? { enabled: true },
    steps: []
  })

const append =
  (step: Step) =>
  <T, A, B>(self: Flow<T, A>): Flow<T, B> =>
    build<T, B>({ ...(self as unknown as Omit<Flow<T, B>, TypeId | "pipe">), steps: [...self.steps, step] })

/** Options every step takes. Flow expressions are JSONata over JSON, so they read the payload as `unknown`. */
export interface StepOptions {
  readonly spec: SpecRef
  readonly when?: (payload: unknown) => boolean
}

const base = (id: string, o: StepOptions): Pick<Step, "id" | "spec" | "when"> => ({ id, spec: o.spec, ...(o.when ? { when: o.when } : {}) })

/** Applies a compiled mapping to the payload: `A -> B` (the previous step must produce the mapping's source type). */
export const map =
  <A, B>(id: string, o: StepOptions & { readonly mapping: MappingRef<A, B> }) =>
  <T>(self: Flow<T, A>): Flow<T, B> =>
    append({ ...base(id, o), action: { _tag: "map", mapping: o.mapping as MappingRef<unknown, unknown> } })<T, A, B>(self)

/** Checks the payload against a canonical entity's validator; a failure is a permanent `validation` error. */
export const validate =
  (id: string, o: StepOptions & { readonly entity: string; readonly validate: Validator }) =>
  <T, A>(self: Flow<T, A>): Flow<T, A> =>
    append({ ...base(id, o), action: { _tag: "validate", entity: o.entity, validate: o.validate } })<T, A, A>(self)

/** Fetches data from a partner operation and adds it to the payload under `into`. */
export const enrich =
  <K extends string>(
    id: string,
    o: StepOptions & { readonly http: HttpPartner; readonly operation: HttpOperation; readonly into: K; readonly key?: (payload: unknown) => unknown }
  ) =>
  <T, A>(self: Flow<T, A>): Flow<T, A & { readonly [P in K]?: unknown }> =>
    append({
      ...base(id, o),
      action: { _tag: "enrich", http: o.http, operation: o.operation, into: o.into, ...(o.key ? { key: o.key } : {}) }
    })<T, A, A & { readonly [P in K]?: unknown }>(self)

/** Chooses the fulfilling warehouse and sets `fulfillment.warehouse` on the payload. */
export const route =
  (
    id: string,
    o: StepOptions & {
      readonly partner: string
      readonly by: ReadonlyArray<"availability" | "service-level" | "constraints" | "region" | "priority">
      readonly warehouses: ReadonlyArray<Warehouse>
      readonly serviceLevel?: (payload: unknown) => unknown
    }
  ) =>
  <T, A>(self: Flow<T, A>): Flow<T, A> =>
    append({
      ...base(id, o),
      action: { _tag: "route", partner: o.partner, by: o.by, warehouses: o.warehouses, ...(o.serviceLevel ? { serviceLevel: o.serviceLevel } : {}) }
    })<T, A, A>(self)

/** Calls a partner's HTTP operation through the outbox; with a mapping, a mapped copy of the payload is the body. */
export function call<A, B>(
  id: string,
  o: StepOptions & { readonly http: HttpPartner; readonly operation: HttpOperation; readonly mapping: MappingRef<A, B> }
): <T>(self: Flow<T, A>) => Flow<T, A>
export function call(id: string, o: StepOptions & { readonly http: HttpPartner; readonly operation: HttpOperation }): <T, A>(self: Flow<T, A>) => Flow<T, A>
export function call(
  id: string,
  o: StepOptions & { readonly http: HttpPartner; readonly operation: HttpOperation; readonly mapping?: MappingRef<never, unknown> }
) {
  return append({
    ...base(id, o),
    action: { _tag: "call", http: o.http, operation: o.operation, ...(o.mapping ? { mapping: o.mapping as MappingRef<unknown, unknown> } : {}) }
  })
}

/** Sends an X12 document to an EDI partner through the outbox (control numbers from the partner's sequences). */
export function send<A, B>(
  id: string,
  o: StepOptions & { readonly edi: EdiPartner; readonly document: string; readonly mapping: MappingRef<A, B> }
): <T>(self: Flow<T, A>) => Flow<T, A>
export function send(id: string, o: StepOptions & { readonly edi: EdiPartner; readonly document: string }): <T, A>(self: Flow<T, A>) => Flow<T, A>
export function send(id: string, o: StepOptions & { readonly edi: EdiPartner; readonly document: string; readonly mapping?: MappingRef<never, unknown> }) {
  return append({
    ...base(id, o),
    action: { _tag: "send", edi: o.edi, document: o.document, ...(o.mapping ? { mapping: o.mapping as MappingRef<unknown, unknown> } : {}) }
  })
}

/** Records that the functional acknowledgment (997/999) for the run's interchange went back (the transport sends it for every group). */
export const acknowledge =
  (id: string, o: StepOptions & { readonly edi: EdiPartner }) =>
  <T, A>(self: Flow<T, A>): Flow<T, A> =>
    append({ ...base(id, o), action: { _tag: "acknowledge", edi: o.edi } })<T, A, A>(self)

/** Publishes the payload as an event (through the outbox), moving its lifecycle when it is a transition. */
export const emit =
  (
    id: string,
    o: StepOptions & { readonly event: string; readonly version: number; readonly system: string; readonly lifecycle?: ReadonlyArray<LifecycleEffect> }
  ) =>
  <T, A>(self: Flow<T, A>): Flow<T, A> =>
    append({ ...base(id, o), action: { _tag: "emit", event: o.event, version: o.version, system: o.system, lifecycle: o.lifecycle ?? [] } })<T, A, A>(self)

/** A key value as text; `undefined` when the expression gave nothing usable. */
export const keyText = (v: unknown): string | undefined => {
  if (typeof v === "string") return v.length > 0 ? v : undefined
  if (typeof v === "number" && Number.isFinite(v)) return String(v)
  if (typeof v === "boolean") return String(v)
  return undefined
}

/** The system tradelane itself is called in lifecycles and event producers. */
export const SELF_SYSTEM = "tradelane"
