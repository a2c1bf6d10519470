// Loads a small organisation from a folder into memory, so tests can patch files and validate purely.
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join, relative, sep } from "node:path"
import type { SourceFile } from "../../compiler/source/source.ts"

export const readTree = (root: string): SourceFile[] => {
  const out: SourceFile[] = []
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const abs = join(dir, entry)
      if (statSync(abs).isDirectory()) walk(abs)
      else out.push({ path: relative(root, abs).split(sep).join("/"), text: readFileSync(abs, "utf8") })
    }
  }
  walk(root)
  return out
}

export interface Patch {
  readonly file: string
  readonly replace?: readonly [from: string, to: string]
  readonly text?: string
  readonly remove?: boolean
}

export const applyPatches = (files: ReadonlyArray<SourceFile>, patches: ReadonlyArray<Patch>): SourceFile[] => {
  const map = new Map(files.map((f) => [f.path, f.text]))
  for (const p of patches) {
    if (p.remove) {
      if (!map.delete(p.file)) throw new Error(`patch: no file ${p.file} to remove`)
    } else if (p.text !== undefined) map.set(p.file, p.text)
    else if (p.replace) {
      const cur = map.get(p.file)
      if (cur === undefined || !cur.includes(p.replace[0])) throw new Error(`patch: '${p.replace[0]}' not found in ${p.file}`)
      map.set(p.file, cur.replace(p.replace[0], p.replace[1]))
    }
  }
  return [...map.entries()].map(([path, text]) => ({ path, text }))
}
