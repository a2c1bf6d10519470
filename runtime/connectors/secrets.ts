// Secrets by reference only ({ env } or { file }); values are read when used and never logged, traced or
// dead-lettered. `redact` scrubs every known secret value out of text before it is stored.
import { readFileSync } from "node:fs"
import { Context, Layer } from "effect"
import type { SecretRef } from "../engine/flow.ts"

export interface SecretsService {
  readonly get: (ref: SecretRef | undefined) => string | undefined
  /** Replaces every secret value this service has handed out with `[redacted]`. */
  readonly redact: (text: string) => string
}

export class Secrets extends Context.Tag("tradelane/runtime/Secrets")<Secrets, SecretsService>() {}

export const make = (env: Readonly<Record<string, string | undefined>>): SecretsService => {
  const seen = new Set<string>()
  const get = (ref: SecretRef | undefined): string | undefined => {
    if (ref === undefined) return undefined
    let v: string | undefined
    if ("env" in ref) v = env[ref.env]
    else {
      try {
        v = readFileSync(ref.file, "utf8").trim()
      } catch {
        v = undefined
      }
    }
    if (v !== undefined && v.length >= 4) seen.add(v)
    return v
  }
  const redact = (text: string): string => {
    let out = text
    for (const s of seen) if (out.includes(s)) out = out.split(s).join("[redacted]")
    return out.replace(/(authorization|x-api-key|x-shopify-access-token|x-amz-access-token)(["']?\s*[:=]\s*["']?)[^"',\s}]+/gi, "$1$2[redacted]")
  }
  return { get, redact }
}

/** Secrets from the process environment (read at each use, so a rotated value is picked up). */
export const layerEnv = (env: Readonly<Record<string, string | undefined>> = process.env): Layer.Layer<Secrets> => Layer.sync(Secrets, () => make(env))
