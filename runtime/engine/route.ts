// Warehouse routing: picks the fulfilling warehouse for an order from the warehouses the partner spec
// declares, in the order of the criteria the flow lists (availability, service-level, constraints are
// filters; region and priority rank what is left). Pure.
import type { Warehouse } from "./flow.ts"

export type Criterion = "availability" | "service-level" | "constraints" | "region" | "priority"

export interface RouteInput {
  readonly lines: ReadonlyArray<{ readonly sku: string; readonly quantity: number }>
  readonly serviceLevel?: string
  readonly channel?: string
  readonly shipToRegion?: string
  readonly hazmat: boolean
  readonly weightKg?: number
  readonly carrier?: string
  /** sku -> warehouse -> available; undefined = availability unknown (no snapshot yet). */
  readonly stock?: ReadonlyMap<string, ReadonlyMap<string, number>>
}

export type RouteResult =
  | { readonly _tag: "routed"; readonly warehouse: string; readonly considered: ReadonlyArray<string> }
  | { readonly _tag: "none"; readonly reasons: ReadonlyArray<string> }

const WEST = new Set(["WA", "OR", "CA", "NV", "AZ", "UT", "ID", "MT", "WY", "CO", "NM", "AK", "HI"])

/** US state or province code -> the shipping regions warehouses declare. */
export const regionOf = (state: string | undefined): string | undefined =>
  state === undefined ? undefined : WEST.has(state.toUpperCase()) ? "US-WEST" : "US-EAST"

export const route = (warehouses: ReadonlyArray<Warehouse>, by: ReadonlyArray<Criterion>, input: RouteInput): RouteResult => {
  let candidates = [...warehouses]
  const reasons: string[] = []
  const keep = (why: string, ok: (w: Warehouse) => boolean) => {
    const out = candidates.filter(ok)
    for (const w of candidates) if (!out.includes(w)) reasons.push(`${w.code}: ${why}`)
    candidates = out
  }
  for (const c of by) {
    if (c === "availability" && input.stock !== undefined) {
      const stock = input.stock
      keep("not enough stock", (w) => input.lines.every((l) => (stock.get(l.sku)?.get(w.code) ?? 0) >= l.quantity))
    } else if (c === "service-level" && input.serviceLevel !== undefined) {
      const sl = input.serviceLevel
      keep(`no ${sl} service`, (w) => w.serviceLevels.includes(sl))
    } else if (c === "constraints") {
      keep("constraints", (w) => {
        const k = w.constraints ?? {}
        if (input.hazmat && k.hazmat === false) return false
        if (k.maxWeightKg !== undefined && input.weightKg !== undefined && input.weightKg > k.maxWeightKg) return false
        if (k.channels !== undefined && (input.channel === undefined || !k.channels.includes(input.channel))) return false
        if (k.carriers !== undefined && input.carrier !== undefined && !k.carriers.includes(input.carrier)) return false
        return true
      })
    }
  }
  if (candidates.length === 0) return { _tag: "none", reasons }
  const rank = (w: Warehouse): [number, number] => [
    by.includes("region") && input.shipToRegion !== undefined && w.region === input.shipToRegion ? 0 : 1,
    by.includes("priority") ? (w.priority ?? 999) : 0
  ]
  const sorted = [...candidates].sort((a, b) => {
    const [ra, pa] = rank(a)
    const [rb, pb] = rank(b)
    return ra - rb || pa - pb || a.code.localeCompare(b.code, "en-US")
  })
  return { _tag: "routed", warehouse: sorted[0]!.code, considered: sorted.map((w) => w.code) }
}
