// The other side of bench/e2e.ts, in its own process so that the runtime's CPU time is measured alone:
// the sandbox systems (ERP, WMS, marketplaces) and the load generator (signed Shopify webhooks over a
// keep-alive pool). Driven over IPC: `ready` (sandbox settings) -> `connect` -> `load` ... -> `stop`.
import { Agent, request } from "node:http"
import { resolve } from "node:path"
import { Effect, Exit, Scope } from "effect"
import { make as makeSandbox, runtimeSettings } from "../runtime/sandbox/index.ts"
import { shopifyOrder, sign } from "../runtime/sandbox/scenario.ts"

export interface LoadRequest {
  readonly type: "load"
  readonly url: string
  /** First order id and how many. */
  readonly from: number
  readonly count: number
  /** Webhooks in flight at once (max-rate phase), or a pace in orders/s. */
  readonly concurrency?: number
  readonly rate?: number
  /** Done when the ERP has every order (`erp`), the WMS has every release too (`wms`), or when every webhook is answered (`answered`). */
  readonly until: "erp" | "wms" | "answered"
  /** Every webhook carries the same order (`from`): after the first, each is a duplicate the runtime answers without a run. */
  readonly same?: boolean
}

export interface LoadResult {
  readonly type: "loaded"
  readonly elapsedMs: number
  readonly bytes: number
  /** Webhook sent -> sales order received by the ERP, per order (ms). */
  readonly latencies: ReadonlyArray<number>
  readonly rejected: number
}

const root = resolve(import.meta.dirname, "..")
const agent = new Agent({ keepAlive: true, maxSockets: 256 })

const post = (url: string, body: string, headers: Record<string, string>) =>
  new Promise<number>((res, rej) => {
    const u = new URL(url)
    const req = request(
      { host: u.hostname, port: u.port, path: u.pathname, method: "POST", agent, headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), ...headers } },
      (r) => {
        r.resume()
        r.on("end", () => res(r.statusCode ?? 0))
      }
    )
    req.on("error", rej)
    req.end(body)
  })

const main = async () => {
  const scope = await Effect.runPromise(Scope.make())
  const stock = { IPOD2008GREEN: { RNO1: 1e9, ATL1: 1e9 }, IPOD2008RED: { RNO1: 1e9, ATL1: 1e9 }, IPOD2008BLACK: { RNO1: 1e9, ATL1: 1e9 } }
  const sandbox = await Effect.runPromise(Scope.extend(makeSandbox({ autoShip: false, stock }), scope))
  const secret = String(sandbox.secrets["SHOPIFY_WEBHOOK_SECRET"])
  const send = (m: unknown) => process.send!(m)

  const load = async (q: LoadRequest): Promise<LoadResult> => {
    const bodies = Array.from({ length: q.count }, (_, i) => JSON.stringify(shopifyOrder(root, q.from + (q.same === true ? 0 : i))))
    const bytes = bodies.reduce((s, b) => s + Buffer.byteLength(b), 0)
    const sentAt = new Map<string, number>()
    const erpFrom = sandbox.requests.erp.length
    const wmsFrom = sandbox.requests.wms.length
    let rejected = 0
    const one = async (i: number) => {
      const b = bodies[i]!
      sentAt.set(`SHP-${q.from + i}`, Date.now())
      const status = await post(q.url, b, { "x-shopify-topic": "orders/create", "x-shopify-hmac-sha256": sign(secret, b, "base64") })
      if (status >= 300) rejected++
    }
    const t0 = Date.now()
    if (q.rate !== undefined) {
      const inflight: Array<Promise<void>> = []
      for (let i = 0; i < q.count; i++) {
        const wait = t0 + (i * 1000) / q.rate - Date.now()
        if (wait > 0) await new Promise((r) => setTimeout(r, wait))
        inflight.push(one(i))
      }
      await Promise.all(inflight)
    } else {
      let next = 0
      await Promise.all(
        Array.from({ length: q.concurrency ?? 64 }, async () => {
          while (next < q.count) await one(next++)
        })
      )
    }
    const created = () => sandbox.requests.erp.slice(erpFrom).filter((r) => r.method === "POST" && r.path === "/sales-orders" && r.status === 201)
    const released = () => sandbox.requests.wms.slice(wmsFrom).filter((r) => r.method === "POST" && r.path === "/outbound-orders" && r.status < 300).length
    const deadline = Date.now() + 600_000
    while (q.until !== "answered" && Date.now() < deadline && (created().length < q.count - rejected || (q.until === "wms" && released() < q.count - rejected))) await new Promise((r) => setTimeout(r, 2))
    const elapsedMs = Date.now() - t0
    const latencies = q.until === "answered" ? bodies.map(() => 0) : created().map((r) => {
      const ext = String((r.body as { externalDocumentNumber?: string } | undefined)?.externalDocumentNumber)
      return r.at - (sentAt.get(ext) ?? r.at)
    })
    return { type: "loaded", elapsedMs, bytes, latencies, rejected }
  }

  process.on("message", (m: { type: string } & Record<string, unknown>) => {
    if (m.type === "connect") sandbox.connect(String(m["base"]))
    else if (m.type === "load") void load(m as unknown as LoadRequest).then(send, (e: unknown) => send({ type: "error", message: String(e) }))
    else if (m.type === "stop") void Effect.runPromise(Scope.close(scope, Exit.void)).then(() => process.exit(0))
  })
  send({ type: "ready", settings: runtimeSettings(sandbox) })
}

void main()
