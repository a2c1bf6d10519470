// .github/CODEOWNERS from the specs' owners: each partner folder -> the partner's owners, each spec file
// -> its documents' owners (inside a partner folder, together with the partner's), generated output ->
// the governance owners (the Policy documents' owners; everyone's when there is no policy).
import type { Model } from "../../model/model.ts"
import { compareText } from "../literal.ts"
import type { EmittedFile } from "../names.ts"
import { header } from "../names.ts"

/** Path of CODEOWNERS relative to the project root. */
export const CODEOWNERS_PATH = ".github/CODEOWNERS"

/** A CODEOWNERS path pattern for a literal path: spaces and a leading `#` escaped, anchored at the root. */
const pattern = (path: string): string => `/${path.replace(/[\\ #]/g, (c) => `\\${c}`)}`

const line = (path: string, owners: Iterable<string>): string | undefined => {
  const list = [...new Set(owners)].sort(compareText)
  return list.length === 0 ? undefined : `${pattern(path)} ${list.join(" ")}`
}

export const codeowners = (model: Model): string => {
  const byFile = new Map<string, Set<string>>()
  const add = (file: string, owners: ReadonlyArray<string>) => {
    const set = byFile.get(file) ?? new Set<string>()
    for (const o of owners) set.add(o)
    byFile.set(file, set)
  }
  const all = [
    ...model.partners.values(),
    ...model.guides.values(),
    ...model.entities.values(),
    ...model.mappings.values(),
    ...model.taxonomies.values(),
    ...model.lifecycles.values(),
    ...model.flows.values(),
    ...model.slos.values(),
    ...model.reconciliations.values(),
    ...model.policies.values()
  ]
  for (const n of all) add(n.doc.file, n.owners)
  const partnerOwners = new Map<string, ReadonlyArray<string>>()
  for (const p of model.partners.values()) partnerOwners.set(p.folder, p.owners)
  const governance = new Set([...model.policies.values()].flatMap((p) => p.owners))
  const platform = governance.size > 0 ? governance : new Set(all.flatMap((n) => n.owners))

  const lines: string[] = []
  const platformLines = [line("generated/", platform), line(CODEOWNERS_PATH, platform)].filter((l): l is string => l !== undefined)
  if (platformLines.length) lines.push("# Generated output follows the specs; the governance owners approve it.", ...platformLines, "")
  const folders = [...partnerOwners.entries()].sort(([a], [b]) => compareText(a, b))
  const partnerLines = folders.flatMap(([folder, owners]) => line(`${folder}/`, owners) ?? [])
  if (partnerLines.length) lines.push("# Partner folders: the partner's owners review every change in them.", ...partnerLines, "")
  // The first partner folder (in name order) holding the file is its shortest ancestor that is one.
  const folderOwners = new Map(folders)
  const folderOf = (file: string): ReadonlyArray<string> | undefined => {
    for (let i = file.indexOf("/"); i !== -1; i = file.indexOf("/", i + 1)) {
      const owners = folderOwners.get(file.slice(0, i))
      if (owners !== undefined) return owners
    }
    return undefined
  }
  const fileLines = [...byFile.entries()]
    .sort(([a], [b]) => compareText(a, b))
    .flatMap(([file, owners]) => line(file, [...owners, ...(folderOf(file) ?? [])]) ?? [])
  if (fileLines.length) lines.push("# Spec files: their documents' owners (and, in a partner folder, the partner's).", ...fileLines, "")
  return header([], "#") + lines.join("\n")
}

export const emitCodeowners = (model: Model): EmittedFile => ({ path: CODEOWNERS_PATH, text: codeowners(model) })
