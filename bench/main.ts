// `npm run bench [-- <name> ...]`: runs the named benchmarks (all when none is named).
// Each benchmark lives in bench/<name>.ts and exports `run(): Promise<void>`, printing its
// numbers next to a baseline measured in the same process.
import { readdirSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { dirname, join } from "node:path"

const here = dirname(fileURLToPath(import.meta.url))
const available = readdirSync(here)
  .filter((f) => f.endsWith(".ts") && f !== "main.ts" && !f.startsWith("_"))
  .map((f) => f.slice(0, -3))
  .sort()
const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"))
const names = wanted.length > 0 ? wanted : available
for (const name of names) {
  if (!available.includes(name)) {
    process.stderr.write(`unknown benchmark '${name}'; available: ${available.join(", ")}\n`)
    process.exit(2)
  }
}
for (const name of names) {
  process.stdout.write(`\n== bench ${name} ==\n`)
  const mod = (await import(join(here, `${name}.ts`))) as { run: () => Promise<void> }
  await mod.run()
}
