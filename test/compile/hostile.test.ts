// Spec text never becomes code: hostile descriptions, owners, labels, table keys and values, target field
// keys, enum values and expression literals compile, type-check, and running the generated modules
// executes none of it (a tripwire global stays unset) while the text survives intact as data.
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import ts from "typescript"
import { stringify } from "yaml"
import { beforeAll, describe, expect, it } from "vitest"
import type { CompileOutput } from "../../compiler/emit/index.ts"
import type { SourceFile } from "../../compiler/source/source.ts"
import { applyPatches } from "../support/org.ts"
import { compileOrg, loadOrg, REPO, tsFiles, typecheck, writeScratch } from "./support.ts"

const TRIP = "globalThis.__tradelanePwned = 1"
const HOSTILE = [
  `'"\`\${${TRIP}}\``,
  `*/ ${TRIP}; /*`,
  `"; ${TRIP}; //`,
  `</script><script>${TRIP}</script>`,
  `line\u2028${TRIP}\u2029end`,
  `\\u0022); ${TRIP}; ("`,
  "__proto__",
  "constructor"
].join(" | ")
const KEYS = ["__proto__", "constructor", "*/`${x}`", `a"b'c`, "</script>", "l\u2028s"]

/** Identifiers in code (not in strings or comments), by TypeScript's scanner. */
const codeIdentifiers = (text: string): Set<string> => {
  const scanner = ts.createScanner(ts.ScriptTarget.ES2022, true, ts.LanguageVariant.Standard, text)
  const out = new Set<string>()
  for (let t = scanner.scan(); t !== ts.SyntaxKind.EndOfFileToken; t = scanner.scan()) if (t === ts.SyntaxKind.Identifier) out.add(scanner.getTokenValue())
  return out
}

const doc = (kind: string, name: string, spec: object, metadata: object = {}): string =>
  stringify({ apiVersion: "tradelane/v1", kind, metadata: { name, owners: ["@acme/team"], ...metadata }, spec }, { lineWidth: 0 })

const golden = loadOrg(join(REPO, "test/golden/basic"))

const entityProps: Record<string, unknown> = { orderId: { type: "string", description: HOSTILE } }
for (const k of KEYS) Object.defineProperty(entityProps, k, { value: { type: "string", description: HOSTILE }, enumerable: true, writable: true, configurable: true })
entityProps["kind"] = { enum: ["`${x}`", "*/", "</script>", "\u2028"], description: HOSTILE }

const fields: Record<string, unknown> = { orderId: "'SHP-' & $string(id)", kind: "'*/'" }
KEYS.forEach((k, i) => Object.defineProperty(fields, k, { value: i % 2 === 0 ? `$lookup('hostile', '${k === "__proto__" ? "__proto__" : "constructor"}')` : `'\${${TRIP}}' & "*/" & '</script>'`, enumerable: true, writable: true, configurable: true }))
const table: Record<string, unknown> = {}
for (const k of KEYS) Object.defineProperty(table, k, { value: HOSTILE, enumerable: true, writable: true, configurable: true })

const hostileFiles: SourceFile[] = applyPatches(golden, [
  {
    file: "specs/entities/order.yaml",
    text: doc("CanonicalEntity", "order", { version: 1, key: "orderId", description: HOSTILE, schema: { type: "object", description: HOSTILE, required: ["orderId"], properties: entityProps } }, { description: HOSTILE, labels: { tier: "`${x}`*/</script>" } })
  },
  {
    file: "partners/shop/mappings/shop-order-to-order.yaml",
    text: doc("Mapping", "shop-order-to-order", { description: HOSTILE, source: { schema: "shop/Order" }, target: { entity: "order@1" }, tables: { hostile: table }, fields }, { owners: ["*/globalThis.x=1;/*@x.io"], description: HOSTILE })
  },
  { file: "specs/slos/shop-order-intake.yaml", replace: ["page: acme-oncall", `page: ${JSON.stringify(HOSTILE)}`] },
  { file: "specs/events/orders.yaml", replace: ["description: An order was taken in from a channel.", `description: ${JSON.stringify(HOSTILE)}`] },
  { file: "specs/flows/shop-order-intake.yaml", replace: ["description: Web store orders from the orders/create webhook.", `description: ${JSON.stringify(HOSTILE)}`] },
  { file: "partners/shop/partner.yaml", replace: ["  owners: [\"@acme/web\"]", `  owners: ["@acme/web"]\n  description: ${JSON.stringify(HOSTILE)}\n  labels: { note: ${JSON.stringify("`${x}` */ </script>")} }`] }
])

describe("hostile spec text", () => {
  let out: CompileOutput
  let dir: string
  beforeAll(async () => {
    out = await compileOrg(hostileFiles)
    dir = writeScratch("hostile", out.files)
  })

  it("compiles without findings", () => {
    expect(out.diagnostics).toEqual([])
  })

  it("never reaches generated code except inside string literals and comments", () => {
    for (const f of out.files) {
      if (/\.(ts|js)$/.test(f.path)) {
        expect(codeIdentifiers(f.text).has("__tradelanePwned"), f.path).toBe(false)
        expect(f.text.includes("\u2028") || f.text.includes("\u2029"), f.path).toBe(false)
        expect(f.text.includes("</script>"), f.path).toBe(false)
      }
    }
  })

  it("type-checks", () => {
    expect(typecheck(tsFiles(dir, out.files))).toEqual([])
  })

  it("runs without executing any of it, and keeps the text as data", async () => {
    const g = globalThis as { __tradelanePwned?: unknown }
    delete g.__tradelanePwned
    const registry = (await import(pathToFileURL(join(dir, "generated/index.ts")).href)) as {
      partners: Record<string, { spec: unknown }>
      mappings: Record<string, { apply: (input: unknown) => Record<string, unknown> }>
      entities: Record<string, { validate: ((v: unknown) => boolean) & { errors?: unknown } }>
      slos: Record<string, { page?: string }>
    }
    expect(registry.slos["shop-order-intake"]?.page).toBe(HOSTILE)
    const result = registry.mappings["shop-order-to-order"]!.apply({ id: 7, line_items: [] })
    expect(result["orderId"]).toBe("SHP-7")
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype)
    expect(Object.getOwnPropertyNames(result)).toEqual(expect.arrayContaining(KEYS))
    expect(result["__proto__"]).toBe(HOSTILE)
    expect(result["*/`${x}`"]).toBe(HOSTILE)
    expect(result["constructor"]).toBe("${globalThis.__tradelanePwned = 1}*/</script>")
    expect(result["l\u2028s"]).toBe("${globalThis.__tradelanePwned = 1}*/</script>")
    const validate = registry.entities["order@1"]!.validate
    expect(validate({ orderId: "x" })).toBe(true)
    expect(validate({ orderId: "x", kind: "*/" })).toBe(true)
    expect(validate({ orderId: "x", kind: "other" })).toBe(false)
    expect(validate({ orderId: "x", constructor: 1 })).toBe(false)
    expect(g.__tradelanePwned).toBeUndefined()
  })
})
