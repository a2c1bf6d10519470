// Secrets are referenced ({ env: NAME }), never written. Two checks over every document:
// a literal under a secret-like key (TL7001), and any value that looks like a credential (TL7002).
// The value itself is never repeated in the finding.
import type { Diagnostic } from "../diagnostics/diagnostic.ts"
import type { JsonPath, ParsedDocument } from "../parse/yaml.ts"
import { diagnosticAt } from "../parse/yaml.ts"
import { showPath } from "../validate/schema.ts"

const SECRET_KEY = /(secret|password|passwd|passphrase|token|api[-_]?key|private[-_]?key|credential|hmac)/i
const NOT_A_SECRET_KEY = /(url|uri|header|path|env|name|type|ttl|expiry|expires|endpoint|label|description)$/i

/** Credential shapes from well-known issuers; deliberately specific to keep false positives rare. */
const SECRET_VALUES: ReadonlyArray<readonly [RegExp, string]> = [
  [/-----BEGIN ([A-Z]+ )?PRIVATE KEY-----/, "a private key"],
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, "an AWS access key id"],
  [/\bshp(ss|at|ca|pa)_[a-fA-F0-9]{32}\b/, "a Shopify secret or token"],
  [/\b(sk|rk)_live_[0-9a-zA-Z]{16,}\b/, "a live API secret key"],
  [/\bgh[pousr]_[A-Za-z0-9]{36,}\b/, "a GitHub token"],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}\b/, "a Slack token"],
  [/\bAtz[rca]\|[A-Za-z0-9_-]{20,}/, "an Amazon LWA token"],
  [/\bamzn1\.oa2-cs\.v1\.[a-f0-9]{32,}\b/, "an Amazon LWA client secret"],
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/, "a JSON Web Token"],
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]+@/i, "a URL with a password in it"]
]

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

export const checkSecrets = (doc: ParsedDocument, out: Diagnostic[]): void => {
  const visit = (value: unknown, path: JsonPath, key: string | undefined): void => {
    if (typeof value === "string") {
      const shape = SECRET_VALUES.find(([re]) => re.test(value))
      if (shape) {
        out.push(diagnosticAt("TL7002", `'${showPath(path)}' looks like ${shape[1]}: reference it with { env: NAME } instead`, doc.file, doc.locate(path), { path: showPath(path) }))
      } else if (key !== undefined && SECRET_KEY.test(key) && !NOT_A_SECRET_KEY.test(key) && value.length > 0) {
        out.push(diagnosticAt("TL7001", `literal secret in '${showPath(path)}': write { env: NAME } instead`, doc.file, doc.locate(path), { path: showPath(path), hint: "Secrets are referenced, never written in specs." }))
      }
      return
    }
    if (Array.isArray(value)) value.forEach((v, i) => visit(v, [...path, i], key))
    else if (isRecord(value)) for (const [k, v] of Object.entries(value)) visit(v, [...path, k], k)
  }
  visit(doc.value, [], undefined)
}
