// Schema compatibility between two versions of a JSON Schema, as schema registries classify it.
// Narrowing (the new schema rejects something the old accepted) breaks whoever WRITES the payload;
// widening (the new schema accepts something the old rejected) breaks whoever READS it, our generated
// types included. BACKWARD = new readers read old data (no narrowing); FORWARD = old readers read new
// data (no widening); FULL = both; NONE = neither.

export type Direction = "narrowing" | "widening"
export type CompatibilityMode = "full" | "backward" | "forward" | "none"

export interface SchemaChange {
  /** `lines[].uom`, `` for the root. */
  readonly path: string
  readonly direction: Direction
  readonly description: string
}

export interface Compatibility {
  readonly mode: CompatibilityMode
  readonly breaking: boolean
  readonly changes: ReadonlyArray<SchemaChange>
}

type S = { readonly [key: string]: unknown }

const isRecord = (v: unknown): v is S => typeof v === "object" && v !== null && !Array.isArray(v)

const typesOf = (s: S): Set<string> => {
  const t = s["type"]
  const set = new Set<string>(t === undefined ? [] : Array.isArray(t) ? (t as string[]) : [String(t)])
  if (set.has("number")) set.add("integer")
  return set
}

const show = (v: unknown): string => JSON.stringify(v)

const join = (path: string, key: string): string => (path === "" ? key : `${path}.${key}`)

const BOUNDS: ReadonlyArray<readonly [key: string, tighterWhen: "up" | "down", what: string]> = [
  ["minimum", "up", "minimum"], ["exclusiveMinimum", "up", "exclusive minimum"], ["maximum", "down", "maximum"],
  ["exclusiveMaximum", "down", "exclusive maximum"], ["minLength", "up", "minimum length"], ["maxLength", "down", "maximum length"],
  ["minItems", "up", "minimum items"], ["maxItems", "down", "maximum items"], ["multipleOf", "up", "multipleOf"]
]

const compare = (before: S, after: S, path: string, out: SchemaChange[]): void => {
  const add = (direction: Direction, description: string, at = path) => out.push({ path: at, direction, description })
  // Types
  const tb = typesOf(before)
  const ta = typesOf(after)
  if (tb.size > 0 || ta.size > 0) {
    const removed = [...tb].filter((t) => !ta.has(t) && !(t === "integer" && ta.has("number")))
    const added = [...ta].filter((t) => !tb.has(t) && !(t === "integer" && tb.has("number")))
    if (ta.size === 0 && tb.size > 0) add("widening", `type no longer restricted (was ${[...tb].join("|")})`)
    else if (tb.size === 0 && ta.size > 0) add("narrowing", `type now restricted to ${[...ta].join("|")}`)
    else {
      if (removed.length) add("narrowing", `type ${removed.join("|")} no longer allowed`)
      if (added.length) add("widening", `type ${added.join("|")} now allowed`)
    }
  }
  // Enums and consts
  const eb = before["enum"] as unknown[] | undefined
  const ea = after["enum"] as unknown[] | undefined
  if (eb || ea) {
    const sb = new Set((eb ?? []).map(show))
    const sa = new Set((ea ?? []).map(show))
    if (!ea) add("widening", "enum removed: any value allowed")
    else if (!eb) add("narrowing", `now restricted to ${[...sa].join(", ")}`)
    else {
      for (const v of sb) if (!sa.has(v)) add("narrowing", `enum value ${v} removed`)
      for (const v of sa) if (!sb.has(v)) add("widening", `enum value ${v} added`)
    }
  }
  if (show(before["const"]) !== show(after["const"])) {
    if (after["const"] !== undefined) add("narrowing", `const is now ${show(after["const"])}`)
    if (before["const"] !== undefined) add("widening", `const ${show(before["const"])} lifted`)
  }
  // Bounds and formats
  for (const [key, tighter, what] of BOUNDS) {
    const b = before[key] as number | undefined
    const a = after[key] as number | undefined
    if (b === a) continue
    if (b === undefined) add("narrowing", `${what} ${a} added`)
    else if (a === undefined) add("widening", `${what} ${b} removed`)
    else if ((tighter === "up" && a > b) || (tighter === "down" && a < b)) add("narrowing", `${what} ${b} → ${a}`)
    else add("widening", `${what} ${b} → ${a}`)
  }
  for (const key of ["pattern", "format"] as const) {
    if (before[key] === after[key]) continue
    if (before[key] === undefined) add("narrowing", `${key} ${show(after[key])} added`)
    else if (after[key] === undefined) add("widening", `${key} ${show(before[key])} removed`)
    else {
      add("narrowing", `${key} ${show(before[key])} → ${show(after[key])}`)
      add("widening", `${key} ${show(before[key])} → ${show(after[key])}`)
    }
  }
  // Objects
  const pb = isRecord(before["properties"]) ? before["properties"] : {}
  const pa = isRecord(after["properties"]) ? after["properties"] : {}
  const closedBefore = before["additionalProperties"] === false
  const closedAfter = after["additionalProperties"] === false
  if (!closedBefore && closedAfter) add("narrowing", "additional properties no longer allowed")
  if (closedBefore && !closedAfter) add("widening", "additional properties now allowed")
  const rb = new Set((before["required"] as string[] | undefined) ?? [])
  const ra = new Set((after["required"] as string[] | undefined) ?? [])
  for (const r of ra) if (!rb.has(r)) add("narrowing", "now required", join(path, r))
  for (const r of rb) if (!ra.has(r)) add("widening", "no longer required", join(path, r))
  for (const key of Object.keys(pa).sort()) {
    if (!(key in pb)) {
      if (closedBefore) add("widening", "new property on a closed object", join(path, key))
      else if (isRecord(pa[key]) && Object.keys(pa[key] as S).some((k) => k !== "description" && k !== "title")) add("narrowing", "new constrained property on an open object", join(path, key))
    }
  }
  for (const key of Object.keys(pb).sort()) {
    if (!(key in pa)) {
      if (closedAfter) add("narrowing", "property removed from a closed object", join(path, key))
      else add("widening", "property removed: no longer constrained", join(path, key))
    } else if (isRecord(pb[key]) && isRecord(pa[key])) compare(pb[key] as S, pa[key] as S, join(path, key), out)
  }
  // Arrays
  if (isRecord(before["items"]) && isRecord(after["items"])) compare(before["items"] as S, after["items"] as S, `${path}[]`, out)
  else if (isRecord(before["items"]) && after["items"] === undefined) add("widening", "items no longer constrained")
  else if (before["items"] === undefined && isRecord(after["items"])) add("narrowing", "items now constrained")
}

export const compatibility = (before: unknown, after: unknown): Compatibility => {
  const changes: SchemaChange[] = []
  if (isRecord(before) && isRecord(after)) compare(before, after, "", changes)
  const narrowing = changes.some((c) => c.direction === "narrowing")
  const widening = changes.some((c) => c.direction === "widening")
  const mode: CompatibilityMode = narrowing && widening ? "none" : narrowing ? "forward" : widening ? "backward" : "full"
  return { mode, breaking: narrowing || widening, changes }
}
