// The seed scenario, used by `tradelane demo`, the reliability tests and the e2e benchmark: sample
// orders shaped like the partners' fixtures, signed webhook delivery, an X12 850 batch built from the
// retailer's fixture, and a wait until the runtime has nothing left to do.
import { createHmac } from "node:crypto"
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Effect } from "effect"
import { envelope, fromJson, type Guide } from "../edi/index.ts"
import { identityOf } from "../connectors/edi.ts"
import type { Engine } from "../engine/engine.ts"
import type { EdiPartner } from "../engine/flow.ts"
import type { SandboxState } from "./index.ts"

const readJson = (root: string, rel: string): Record<string, unknown> => JSON.parse(readFileSync(join(root, rel), "utf8")) as Record<string, unknown>

/** A Shopify orders/create body like the fixture, with its own id. */
export const shopifyOrder = (root: string, id: number): Record<string, unknown> => {
  const o = readJson(root, "partners/shopify-main/tests/shopify-order-to-order/orders-create.input.json")
  return { ...o, id, name: `#${id}`, order_number: id }
}

/** An Amazon order (without items) and its items, like the fixture, with its own id. */
export const amazonOrder = (root: string, id: string): { order: Record<string, unknown>; items: ReadonlyArray<Record<string, unknown>> } => {
  const o = readJson(root, "partners/amazon-us/tests/amazon-order-to-order/mfn-standard.input.json")
  const { OrderItems, ...order } = o
  return { order: { ...order, AmazonOrderId: id }, items: (OrderItems as Array<Record<string, unknown>>) ?? [] }
}

/** The purchase order fixture of an EDI partner, with its own PO number. */
export const purchaseOrder = (root: string, partner: string, mapping: string, fixture: string, poNumber: string): Record<string, unknown> => ({
  ...readJson(root, `partners/${partner}/tests/${mapping}/${fixture}.input.json`),
  poNumber
})

/** An interchange from the partner to us carrying these 850s. */
export const inbound850 = (edi: EdiPartner, control: number, pos: ReadonlyArray<Record<string, unknown>>): string => {
  const guide = edi.guides["850"] as Guide
  const us = identityOf(edi)
  const them = {
    ...us,
    senderQualifier: us.receiverQualifier,
    senderId: us.receiverId,
    receiverQualifier: us.senderQualifier,
    receiverId: us.senderId,
    applicationSender: us.applicationReceiver!,
    applicationReceiver: us.applicationSender!
  }
  return envelope({
    identity: them,
    control,
    date: new Date(),
    groups: [{ functionalId: guide.functionalGroup, version: edi.groupVersion ?? guide.version, control, sets: pos.map((po, i) => ({ id: "850", control: i + 1, body: fromJson(po as never, guide, undefined) })) }]
  })
}

/** Drops a file into an inbox the way a transfer agent does: write elsewhere, then rename in. */
export const dropFile = (dir: string, name: string, text: string): void => {
  mkdirSync(dir, { recursive: true })
  const tmp = join(dir, `.${name}.part`)
  writeFileSync(tmp, text)
  renameSync(tmp, join(dir, name))
}

export const sign = (secret: string, body: string, encoding: "hex" | "base64") => createHmac("sha256", secret).update(body).digest(encoding)

/** POSTs a webhook to the runtime; returns the status. */
export const deliver = async (url: string, body: string, headers: Record<string, string>): Promise<number> => {
  const r = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body })
  await r.arrayBuffer()
  return r.status
}

/** Waits until the engine has been idle (and the sandbox has no webhook in flight) for `quietMs`, or `timeoutMs` passes. */
export const settle = (engine: Engine["Type"], sandbox: SandboxState | undefined, options: { quietMs?: number; timeoutMs?: number } = {}) =>
  Effect.gen(function* () {
    const deadline = Date.now() + (options.timeoutMs ?? 60_000)
    let quietSince: number | undefined
    while (Date.now() < deadline) {
      const engineIdle = yield* engine.idle
      const idle = engineIdle && (sandbox === undefined || sandbox.pendingWebhooks() === 0)
      if (process.env["TRADELANE_DEBUG_SETTLE"]) process.stderr.write(`settle: engine ${engineIdle} webhooks ${sandbox?.pendingWebhooks()}\n`)
      if (idle) {
        quietSince ??= Date.now()
        if (Date.now() - quietSince >= (options.quietMs ?? 1500)) return true
      } else quietSince = undefined
      yield* Effect.sleep("100 millis")
    }
    return false
  })
