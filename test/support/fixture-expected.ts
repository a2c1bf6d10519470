// Computes mapping fixture outputs with the reference JSONata interpreter.
//
// A Mapping's `fields` tree means the JSONata object constructor built from it: a string is an
// expression, `{ fields }` a nested object, `{ each: E, fields: F }` the array `[E.{F}]`, with `$$` the
// mapping's input. `$lookup(table, key[, default])` reads the mapping's `tables`.
//
//   npx tsx test/support/fixture-expected.ts partners/<partner>/mappings/<mapping>.yaml [--write]
//
// evaluates every partners/<partner>/tests/<mapping>/<case>.input.json and prints the result, or with
// --write stores it beside the input as <case>.expected.json (read it before committing it).
import jsonata from "jsonata"
import { readFileSync, readdirSync, writeFileSync, existsSync } from "node:fs"
import { basename, dirname, join } from "node:path"
import { parse } from "yaml"

export type FieldRule = string | { readonly each?: string; readonly fields: Fields }
export type Fields = { readonly [target: string]: FieldRule }
export type Tables = { readonly [table: string]: { readonly [key: string]: string | number | boolean } }

/** The JSONata expression a fields tree stands for. */
export const toExpression = (fields: Fields): string =>
  "{" +
  Object.entries(fields)
    .map(([key, rule]) => `${JSON.stringify(key)}: ${ruleExpression(rule)}`)
    .join(", ") +
  "}"

const ruleExpression = (rule: FieldRule): string => {
  if (typeof rule === "string") return `(${rule})`
  const object = toExpression(rule.fields)
  return rule.each === undefined ? object : `[(${rule.each}).${object}]`
}

/** Evaluates a mapping's fields on one input with the mapping's lookup tables. */
export const evaluate = async (fields: Fields, tables: Tables, input: unknown): Promise<unknown> => {
  const expression = jsonata(toExpression(fields))
  expression.registerFunction(
    "lookup",
    (table: string, key: unknown, fallback?: unknown) => {
      const rows = tables[table]
      if (rows === undefined) throw new Error(`$lookup: no table '${table}'`)
      if (key === undefined || key === null) return fallback
      const hit = rows[String(key)]
      return hit === undefined ? fallback : hit
    },
    "<sx?x?:x>"
  )
  return expression.evaluate(input)
}

const main = async (args: ReadonlyArray<string>): Promise<void> => {
  const file = args.find((a) => !a.startsWith("--"))
  if (file === undefined) {
    console.error("usage: fixture-expected.ts partners/<partner>/mappings/<mapping>.yaml [--write]")
    process.exitCode = 2
    return
  }
  const doc = parse(readFileSync(file, "utf8")) as { metadata: { name: string }; spec: { fields: Fields; tables?: Tables } }
  const dir = join(dirname(dirname(file)), "tests", doc.metadata.name)
  if (!existsSync(dir)) throw new Error(`no fixtures in ${dir}`)
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".input.json")).sort()) {
    const input = JSON.parse(readFileSync(join(dir, name), "utf8"))
    const output = await evaluate(doc.spec.fields, doc.spec.tables ?? {}, input)
    const text = JSON.stringify(output, null, 2) + "\n"
    const target = join(dir, name.replace(/\.input\.json$/, ".expected.json"))
    if (args.includes("--write")) {
      writeFileSync(target, text)
      console.log(`wrote ${target}`)
    } else {
      console.log(`# ${basename(target)}\n${text}`)
    }
  }
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(basename(process.argv[1]))) {
  await main(process.argv.slice(2))
}
