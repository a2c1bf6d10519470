// EDI directory transport. Inbound: a file in the partner's inbox is taken by an atomic rename into
// `processing/`, parsed and checked against the partner's guides; the 997/999 goes back for every group
// (accepted or not), each good transaction set becomes one run of the flow for that document, sets with
// errors are dead-lettered with their findings, and the file is archived; a file that is not X12 at all
// is quarantined with a `.reason.txt` beside it. Outbound: write to a temporary name, then rename.
import { createHash } from "node:crypto"
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { Context, Effect, Layer } from "effect"
import type { EdiIdentity, Guide } from "../edi/index.ts"
import type { EdiPartner } from "../engine/flow.ts"

export interface EdiFilesService {
  /** Absolute folder of a transport folder (relative to the data dir). */
  readonly dir: (relative: string) => string
  /** Writes `text` as `<outbox>/<name>` by write-then-rename; an existing file of that name is left alone. */
  readonly writeOutbound: (edi: EdiPartner, name: string, text: string) => Effect.Effect<{ readonly path: string; readonly existed: boolean }>
  /** Takes the inbox's files (oldest name first) by renaming each into `processing/`; includes files a crash left there. */
  readonly takeInbound: (edi: EdiPartner) => Effect.Effect<ReadonlyArray<{ readonly id: string; readonly name: string; readonly path: string }>>
  readonly archive: (edi: EdiPartner, path: string, name: string) => Effect.Effect<void>
  readonly quarantine: (edi: EdiPartner, path: string, name: string, reason: string) => Effect.Effect<void>
}

export class EdiFiles extends Context.Tag("tradelane/runtime/EdiFiles")<EdiFiles, EdiFilesService>() {}

const ensure = (d: string): string => {
  mkdirSync(d, { recursive: true })
  return d
}

export const make = (dataDir: string): EdiFilesService => {
  const dir = (rel: string) => join(dataDir, rel)
  const processing = (edi: EdiPartner) => ensure(join(dirname(dir(edi.inbox)), "processing"))
  return {
    dir,
    writeOutbound: (edi, name, text) =>
      Effect.sync(() => {
        const out = ensure(dir(edi.outbox))
        const final = join(out, name)
        if (existsSync(final)) return { path: final, existed: true }
        const tmp = join(out, `.${name}.tmp`)
        writeFileSync(tmp, text)
        renameSync(tmp, final)
        return { path: final, existed: false }
      }),
    takeInbound: (edi) =>
      Effect.sync(() => {
        const inbox = ensure(dir(edi.inbox))
        const proc = processing(edi)
        const taken: Array<{ id: string; name: string; path: string }> = []
        for (const name of readdirSync(proc).sort()) taken.push({ id: name, name: name.replace(/^[0-9a-f]{12}-/, ""), path: join(proc, name) })
        for (const name of readdirSync(inbox).filter((n) => !n.startsWith(".")).sort()) {
          const from = join(inbox, name)
          let id: string
          try {
            id = `${createHash("sha256").update(readFileSync(from)).digest("hex").slice(0, 12)}-${name}`
            renameSync(from, join(proc, id))
          } catch {
            continue // still being written, or taken by another worker
          }
          taken.push({ id, name, path: join(proc, id) })
        }
        return taken
      }),
    archive: (edi, path, name) =>
      Effect.sync(() => {
        const d = ensure(dir(edi.archive))
        renameSync(path, join(d, existsSync(join(d, name)) ? `${Date.now()}-${name}` : name))
      }),
    quarantine: (edi, path, name, reason) =>
      Effect.sync(() => {
        const d = ensure(dir(edi.quarantine))
        const target = existsSync(join(d, name)) ? `${Date.now()}-${name}` : name
        writeFileSync(join(d, `${target}.reason.txt`), `${reason}\n`)
        renameSync(path, join(d, target))
      })
  }
}

export const layer = (dataDir: string): Layer.Layer<EdiFiles> => Layer.sync(EdiFiles, () => make(dataDir))

/** Our interchange identity toward a partner, from its spec. */
export const identityOf = (edi: EdiPartner): EdiIdentity => ({
  senderQualifier: edi.us.qualifier,
  senderId: edi.us.id,
  receiverQualifier: edi.partnerId.qualifier,
  receiverId: edi.partnerId.id,
  applicationSender: edi.us.gsId ?? edi.us.id,
  applicationReceiver: edi.partnerId.gsId ?? edi.partnerId.id,
  controlVersion: edi.version,
  usage: edi.usage ?? "P",
  ackRequested: edi.acknowledgment?.requestTA1 ?? false,
  ...(edi.delimiters ? { delimiters: edi.delimiters } : {})
})

export const guideOf = (edi: EdiPartner, document: string): Guide | undefined => edi.guides[document] as Guide | undefined
