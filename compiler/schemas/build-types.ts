// Generates compiler/schemas/spec-types.ts (the compiler's own spec types) from the kind schemas with
// json-schema-to-typescript. `npm run schemas:types` writes it; `--check` fails when it has drifted.
import { readFileSync, writeFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { compile } from "json-schema-to-typescript"
import { KINDS, SCHEMAS } from "./index.ts"

const target = fileURLToPath(new URL("./spec-types.ts", import.meta.url))

export const renderSpecTypes = async (): Promise<string> => {
  const parts: string[] = [
    "// Generated from the kind schemas in compiler/schemas/ by `npm run schemas:types`. Do not edit.",
    "/* eslint-disable */",
    ""
  ]
  for (const kind of KINDS) {
    const schema = JSON.parse(JSON.stringify(SCHEMAS[kind])) as Record<string, unknown>
    delete schema["$id"]
    schema["title"] = `${kind}Document`
    const ts = await compile(schema, `${kind}Document`, {
      bannerComment: "",
      additionalProperties: false,
      strictIndexSignatures: true,
      declareExternallyReferenced: true,
      format: true,
      unknownAny: true,
      style: { semi: false }
    })
    parts.push(ts.trim(), "")
  }
  return parts.join("\n")
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = await renderSpecTypes()
  if (process.argv.includes("--check")) {
    const current = readFileSync(target, "utf8")
    if (current !== text) {
      process.stderr.write("compiler/schemas/spec-types.ts is out of date: run npm run schemas:types\n")
      process.exit(1)
    }
  } else writeFileSync(target, text)
}
