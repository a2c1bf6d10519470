// The sandbox: local ERP, WMS, Amazon and Shopify HTTP servers implementing the operations the example
// partners declare. They keep what they receive (for the demo's summary and the tests' assertions), call
// the runtime's webhooks back as the real systems would (the WMS allocates, picks and ships released
// orders; the ERP posts invoices), and have knobs per system: latency, error rate (5xx), 429s with
// Retry-After, and downtime (connections dropped). The runtime talks to them through its real connectors.
import { createHmac, randomBytes } from "node:crypto"
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { Context, Effect, Layer } from "effect"

export interface Knobs {
  latencyMs: number
  /** Share of requests answered 503 (0..1). */
  errorRate: number
  /** Share of requests answered 429 with Retry-After (0..1). */
  rate429: number
  retryAfterSeconds: number
  /** Drop every connection (as if the system were down). */
  down: boolean
}

export type SystemName = "erp" | "wms" | "amazon-us" | "shopify-main"

export interface Recorded {
  readonly method: string
  readonly path: string
  readonly status: number
  readonly idempotencyKey?: string
  readonly body?: unknown
  readonly at: number
  /** The W3C trace context the request carried. */
  readonly traceparent?: string
}

export interface SandboxState {
  readonly urls: Record<SystemName, string>
  readonly knobs: Record<SystemName, Knobs>
  readonly requests: Record<SystemName, Recorded[]>
  /** externalDocumentNumber -> sales order, and how many times a create was accepted for it. */
  readonly salesOrders: Map<string, { readonly number: string; readonly body: Record<string, unknown>; creates: number }>
  readonly shipments: Map<string, Record<string, unknown>>
  readonly invoices: Map<string, Record<string, unknown>>
  readonly releases: Map<string, Record<string, unknown>>
  readonly amazonOrders: Array<{ readonly order: Record<string, unknown>; readonly items: ReadonlyArray<Record<string, unknown>> }>
  readonly confirmations: Array<{ readonly system: SystemName; readonly path: string; readonly body: unknown }>
  /** Secrets the sandbox systems sign their webhooks with (the runtime's env must carry the same). */
  readonly secrets: Record<string, string>
  /** Where the ERP and WMS deliver webhooks (the runtime's ingress). */
  connect: (runtimeUrl: string) => void
  /** Webhook deliveries still in flight. */
  pendingWebhooks: () => number
}

export interface SandboxOptions {
  /** Milliseconds between WMS events for a released order (allocated, picked, confirmed, carrier pickup). */
  readonly wmsStepMs?: number
  /** Whether the WMS ships released orders by itself (default true). */
  readonly autoShip?: boolean
  /** Stock per sku and warehouse in the WMS snapshot. */
  readonly stock?: Readonly<Record<string, Readonly<Record<string, number>>>>
  /** ERP item master: sku -> { weight, hazardous }. */
  readonly items?: Readonly<Record<string, { readonly netWeightKg?: number; readonly hazardous?: boolean; readonly name?: string }>>
}

export class Sandbox extends Context.Tag("tradelane/runtime/Sandbox")<Sandbox, SandboxState>() {}

const defaultKnobs = (): Knobs => ({ latencyMs: 0, errorRate: 0, rate429: 0, retryAfterSeconds: 1, down: false })

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((res, rej) => {
    const chunks: Buffer[] = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => res(Buffer.concat(chunks).toString("utf8")))
    req.on("error", rej)
  })

const send = (res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
  const text = body === undefined ? "" : JSON.stringify(body)
  res.writeHead(status, { ...(text ? { "content-type": "application/json" } : {}), ...headers })
  res.end(text)
}

type Handler = (m: { method: string; path: string; query: URLSearchParams; body: unknown; headers: IncomingMessage["headers"] }) => { status: number; body?: unknown; key?: string }

const DEFAULT_STOCK: Record<string, Record<string, number>> = {}
const DEFAULT_ITEMS: Record<string, { netWeightKg?: number; hazardous?: boolean; name?: string }> = {}

export const make = (options: SandboxOptions = {}) =>
  Effect.gen(function* () {
    const secrets = {
      ERP_WEBHOOK_SECRET: randomBytes(18).toString("hex"),
      WMS_WEBHOOK_SECRET: randomBytes(18).toString("hex"),
      SHOPIFY_WEBHOOK_SECRET: randomBytes(18).toString("hex"),
      ERP_CLIENT_ID: "sandbox-client",
      ERP_CLIENT_SECRET: randomBytes(18).toString("hex"),
      WMS_API_KEY: randomBytes(18).toString("hex"),
      SHOPIFY_ADMIN_TOKEN: randomBytes(18).toString("hex"),
      AMAZON_LWA_CLIENT_ID: "sandbox-lwa",
      AMAZON_LWA_CLIENT_SECRET: randomBytes(18).toString("hex"),
      AMAZON_LWA_REFRESH_TOKEN: randomBytes(18).toString("hex")
    }
    const stock: Record<string, Record<string, number>> = JSON.parse(JSON.stringify(options.stock ?? DEFAULT_STOCK))
    const items = options.items ?? DEFAULT_ITEMS
    const knobs: Record<SystemName, Knobs> = { erp: defaultKnobs(), wms: defaultKnobs(), "amazon-us": defaultKnobs(), "shopify-main": defaultKnobs() }
    const requests: Record<SystemName, Recorded[]> = { erp: [], wms: [], "amazon-us": [], "shopify-main": [] }
    const idem = new Map<string, { status: number; body?: unknown }>()
    let runtimeUrl: string | undefined
    let inFlight = 0
    let counter = 100000
    const timers = new Set<NodeJS.Timeout>()
    const state: SandboxState = {
      urls: { erp: "", wms: "", "amazon-us": "", "shopify-main": "" },
      knobs,
      requests,
      salesOrders: new Map(),
      shipments: new Map(),
      invoices: new Map(),
      releases: new Map(),
      amazonOrders: [],
      confirmations: [],
      secrets,
      connect: (url) => {
        runtimeUrl = url
      },
      pendingWebhooks: () => inFlight + timers.size
    }

    const later = (ms: number, f: () => void) => {
      const t = setTimeout(() => {
        timers.delete(t)
        f()
      }, ms)
      timers.add(t)
    }

    /** Delivers a webhook like a real provider: signed, retried on failure (for about five minutes). */
    const webhook = (path: string, topicHeader: string, topic: string, sigHeader: string, secret: string, body: unknown, attempt = 0): void => {
      if (runtimeUrl === undefined) return
      const text = JSON.stringify(body)
      const sig = createHmac("sha256", secret).update(text).digest("hex")
      inFlight++
      fetch(`${runtimeUrl}${path}`, { method: "POST", headers: { "content-type": "application/json", [topicHeader]: topic, [sigHeader]: sig }, body: text })
        .then((r) => {
          inFlight--
          if (r.status >= 500 && attempt < 300) later(Math.min(1000, 100 * (attempt + 1)), () => webhook(path, topicHeader, topic, sigHeader, secret, body, attempt + 1))
        })
        .catch(() => {
          inFlight--
          if (attempt < 300) later(Math.min(1000, 100 * (attempt + 1)), () => webhook(path, topicHeader, topic, sigHeader, secret, body, attempt + 1))
        })
    }

    const withIdempotency = (system: SystemName, key: string | undefined, f: () => { status: number; body?: unknown }) => {
      if (key === undefined) return f()
      const k = `${system}\u0000${key}`
      const seen = idem.get(k)
      if (seen) return seen
      const r = f()
      if (r.status < 300) idem.set(k, r) // only successes are remembered, as most APIs do
      return r
    }

    const channelOf = (externalDocumentNumber: string) =>
      externalDocumentNumber.startsWith("SHP-")
        ? { salesChannel: "SHOPIFY", channelSystem: "shopify-main" }
        : externalDocumentNumber.startsWith("AMZ-")
          ? { salesChannel: "AMAZON", channelSystem: "amazon-us" }
          : externalDocumentNumber.startsWith("BBR-")
            ? { salesChannel: "EDI", channelSystem: "bigbox-retail" }
            : { salesChannel: "EDI", channelSystem: "corner-market" }

    const erp: Handler = ({ method, path, query, body, headers }) => {
      const key = headers["idempotency-key"] as string | undefined
      if (method === "POST" && path.endsWith("/token")) return { status: 200, body: { access_token: randomBytes(16).toString("hex"), token_type: "Bearer", expires_in: 3600 } }
      if (method === "POST" && path === "/sales-orders") {
        return {
          key,
          ...withIdempotency("erp", key, () => {
            const b = body as Record<string, unknown>
            const ext = String(b["externalDocumentNumber"] ?? "")
            if (!ext || !Array.isArray(b["salesOrderLines"])) return { status: 400, body: { message: "externalDocumentNumber and salesOrderLines are required" } }
            const existing = state.salesOrders.get(ext)
            if (existing) return { status: 409, body: { message: `externalDocumentNumber ${ext} exists as ${existing.number}` } }
            const number = `SO-${++counter}`
            state.salesOrders.set(ext, { number, body: b, creates: 1 })
            return { status: 201, body: { ...b, number, status: "Open" } }
          })
        }
      }
      let m = /^\/sales-orders\/([^/]+)$/.exec(path)
      if (method === "GET" && m) {
        const so = state.salesOrders.get(decodeURIComponent(m[1]!))
        return so ? { status: 200, body: { ...so.body, number: so.number } } : { status: 404, body: { message: "not found" } }
      }
      m = /^\/sales-orders\/([^/]+)\/cancellation-requests$/.exec(path)
      if (method === "POST" && m) return { key, ...withIdempotency("erp", key, () => ({ status: 202, body: { status: "Requested" } })) }
      m = /^\/sales-orders\/([^/]+)\/shipments$/.exec(path)
      if (method === "POST" && m) {
        const ext = decodeURIComponent(m[1]!)
        return {
          key,
          ...withIdempotency("erp", key, () => {
            const so = state.salesOrders.get(ext)
            if (!so) return { status: 404, body: { message: `no sales order ${ext}` } }
            const b = body as Record<string, unknown>
            const shipmentNumber = String(b["shipmentNumber"] ?? `SH-${++counter}`)
            if (state.shipments.has(shipmentNumber)) return { status: 409, body: { message: `shipment ${shipmentNumber} exists` } }
            state.shipments.set(shipmentNumber, b)
            if (b["invoice"] !== undefined && b["invoice"] !== false) {
              const lines = (so.body["salesOrderLines"] as Array<Record<string, unknown>>).map((l, i) => {
                const qty = Number(l["quantity"] ?? 0)
                const price = Number(l["unitPrice"] ?? 0)
                return {
                  sequence: (i + 1) * 10000,
                  externalLineReference: l["externalLineReference"],
                  itemNumber: l["itemNumber"],
                  description: l["description"] ?? String(l["itemNumber"]),
                  quantity: qty,
                  unitOfMeasureCode: l["unitOfMeasureCode"] ?? "EACH",
                  unitPrice: price,
                  lineAmount: Math.round(qty * price * 100) / 100,
                  taxAmount: 0
                }
              })
              const total = Math.round(lines.reduce((s, l) => s + l.lineAmount, 0) * 100) / 100
              const today = new Date().toISOString().slice(0, 10)
              const invoice = {
                number: `SI-${++counter}`,
                invoiceDate: today,
                dueDate: today,
                postingDate: today,
                customerNumber: so.body["customerNumber"],
                externalDocumentNumber: ext,
                ...(so.body["customerPurchaseOrder"] !== undefined ? { customerPurchaseOrder: so.body["customerPurchaseOrder"] } : {}),
                orderNumber: so.number,
                ...channelOf(ext),
                channelOrderId: ext.replace(/^[A-Z]+-/, ""),
                ...(so.body["departmentCode"] !== undefined ? { departmentCode: so.body["departmentCode"] } : {}),
                orderDate: so.body["orderDate"],
                shipmentNumber,
                currencyCode: so.body["currencyCode"] ?? "USD",
                paymentTerms: { code: "NET30", dueDays: 30 },
                billToAddress: { name: "Sandbox customer", ...((so.body["billToAddress"] ?? so.body["shipToAddress"] ?? {}) as Record<string, unknown>) },
                ...(so.body["shipToAddress"] !== undefined ? { shipToAddress: so.body["shipToAddress"] } : {}),
                invoiceLines: lines,
                totalAmountExcludingTax: total,
                totalTaxAmount: 0,
                freightAmount: 0,
                totalAmountIncludingTax: total,
                status: "Open"
              }
              state.invoices.set(invoice.number, invoice)
              later(20, () => webhook("/hooks/erp", "x-erp-topic", "invoice.posted", "x-erp-signature", secrets.ERP_WEBHOOK_SECRET, invoice))
            }
            return { status: 201, body: { shipmentNumber } }
          })
        }
      }
      if (method === "GET" && path === "/items") {
        const wanted = (query.get("key") ?? query.get("number") ?? "").split(",").filter((s) => s.length > 0)
        const skus = wanted.length > 0 ? wanted : Object.keys(items)
        return {
          status: 200,
          body: {
            value: skus.map((sku) => ({
              number: sku,
              displayName: items[sku]?.name ?? sku,
              baseUnitOfMeasureCode: "EACH",
              netWeightKg: items[sku]?.netWeightKg ?? 0.5,
              hazardous: items[sku]?.hazardous ?? false
            }))
          }
        }
      }
      if (method === "GET" && path === "/inventory-levels") return { status: 200, body: { value: [] } }
      m = /^\/customers\/([^/]+)$/.exec(path)
      if (method === "GET" && m) return { status: 200, body: { number: decodeURIComponent(m[1]!), displayName: "Sandbox customer" } }
      m = /^\/sales-invoices\/([^/]+)$/.exec(path)
      if (method === "GET" && m) {
        const inv = state.invoices.get(decodeURIComponent(m[1]!))
        return inv ? { status: 200, body: inv } : { status: 404, body: { message: "not found" } }
      }
      return { status: 404, body: { message: `no ERP operation ${method} ${path}` } }
    }

    const wmsEvents = (release: Record<string, unknown>, shipmentId: string) => {
      const wh = String(release["warehouseCode"])
      const lines = (release["lines"] as Array<Record<string, unknown>>).map((l) => ({ lineRef: l["lineRef"], sku: l["sku"], qtyOrdered: l["qty"], qtyShipped: l["qty"], uom: l["uom"] ?? "EA" }))
      const base = {
        warehouseCode: wh,
        clientOrderId: release["clientOrderId"],
        shipmentId,
        references: release["references"] ?? [],
        serviceLevel: release["serviceLevel"],
        lines
      }
      const step = options.wmsStepMs ?? 50
      const types = ["ORDER_ALLOCATED", "ORDER_PICKED", "SHIPMENT_CONFIRMED", "CARRIER_PICKUP"] as const
      types.forEach((eventType, i) =>
        later(step * (i + 1), () => {
          const shipped = eventType === "SHIPMENT_CONFIRMED" || eventType === "CARRIER_PICKUP"
          const body = {
            eventId: `evt-${shipmentId}-${i}`,
            eventType,
            occurredAt: new Date().toISOString(),
            ...base,
            ...(shipped
              ? {
                  carrier: { scac: "UPSN", name: "UPS", serviceCode: "GND" },
                  trackingNumbers: [`1Z${shipmentId.replace(/[^0-9A-Z]/g, "")}`],
                  totalWeightKg: 1,
                  cartons: [{ sscc: `00061414100${String(++counter).padStart(7, "0")}`, trackingNumber: `1Z${shipmentId.replace(/[^0-9A-Z]/g, "")}`, weightKg: 1, contents: lines.map((l) => ({ lineRef: l.lineRef, sku: l.sku, qty: l.qtyShipped, uom: l.uom })) }],
                  shipFrom: { name: `Distrib ${wh}`, street1: "1 Warehouse Way", city: "Reno", state: "NV", zip: "89502", country: "US" },
                  ...(release["shipTo"] !== undefined ? { shipTo: release["shipTo"] } : {})
                }
              : {})
          }
          webhook("/hooks/wms", "x-wms-topic", "shipment.status", "x-wms-signature", secrets.WMS_WEBHOOK_SECRET, body)
        })
      )
    }

    const wms: Handler = ({ method, path, body, headers }) => {
      const key = headers["x-request-id"] as string | undefined
      if (method === "POST" && path === "/outbound-orders") {
        return {
          key,
          ...withIdempotency("wms", key, () => {
            const b = body as Record<string, unknown>
            const id = String(b["clientOrderId"] ?? "")
            if (!id || !Array.isArray(b["lines"])) return { status: 400, body: { message: "clientOrderId and lines are required" } }
            if (state.releases.has(id)) return { status: 409, body: { message: `${id} already released` } }
            state.releases.set(id, b)
            const shipmentId = `${String(b["warehouseCode"])}-${String(++counter).padStart(7, "0")}`
            for (const l of b["lines"] as Array<Record<string, unknown>>) {
              const s = stock[String(l["sku"])]
              if (s && s[String(b["warehouseCode"])] !== undefined) s[String(b["warehouseCode"])]! -= Number(l["qty"] ?? 0)
            }
            if (options.autoShip !== false) wmsEvents(b, shipmentId)
            return { status: 201, body: { clientOrderId: id, shipmentId } }
          })
        }
      }
      const m = /^\/outbound-orders\/([^/]+)$/.exec(path)
      if (method === "DELETE" && m) return { status: 204 }
      if (method === "GET" && path === "/inventory/snapshot") {
        return {
          status: 200,
          body: {
            snapshotId: `snap-${Date.now().toString(36)}`,
            generatedAt: new Date().toISOString(),
            items: Object.entries(stock).map(([sku, whs]) => ({
              sku,
              uom: "EA",
              warehouses: Object.entries(whs).map(([warehouseCode, available]) => ({ warehouseCode, onHand: available, allocated: 0, onHold: 0, available }))
            }))
          }
        }
      }
      return { status: 404, body: { message: `no WMS operation ${method} ${path}` } }
    }

    const amazon: Handler = ({ method, path, body }) => {
      if (method === "POST" && path.endsWith("/token")) return { status: 200, body: { access_token: `Atza|${randomBytes(16).toString("hex")}`, token_type: "bearer", expires_in: 3600 } }
      if (method === "GET" && path === "/orders/v0/orders") return { status: 200, body: { payload: { Orders: state.amazonOrders.map((o) => o.order) } } }
      let m = /^\/orders\/v0\/orders\/([^/]+)\/orderItems$/.exec(path)
      if (method === "GET" && m) {
        const id = decodeURIComponent(m[1]!)
        const o = state.amazonOrders.find((x) => x.order["AmazonOrderId"] === id)
        return o ? { status: 200, body: { payload: { AmazonOrderId: id, OrderItems: o.items } } } : { status: 404, body: { errors: [{ code: "NotFound" }] } }
      }
      m = /^\/orders\/v0\/orders\/([^/]+)\/shipmentConfirmation$/.exec(path)
      if (method === "POST" && m) {
        state.confirmations.push({ system: "amazon-us", path, body })
        return { status: 204 }
      }
      if (method === "POST" && path === "/feeds/2021-06-30/feeds") return { status: 202, body: { feedId: `F${++counter}` } }
      return { status: 404, body: { errors: [{ code: "NotFound", message: `${method} ${path}` }] } }
    }

    const shopify: Handler = ({ method, path, body }) => {
      if (method === "POST" && /^\/orders\/[^/]+\/fulfillments\.json$/.test(path)) {
        state.confirmations.push({ system: "shopify-main", path, body })
        return { status: 201, body: { fulfillment: { id: ++counter, status: "success" } } }
      }
      if (method === "POST" && path === "/graphql.json") return { status: 200, body: { data: { inventorySetQuantities: { userErrors: [] } } } }
      return { status: 404, body: { errors: `${method} ${path}` } }
    }

    const serveSystem = (system: SystemName, handler: Handler) =>
      Effect.acquireRelease(
        Effect.async<Server>((resume) => {
          const server = createServer((req, res) => {
            const k = knobs[system]
            if (k.down) {
              req.socket.destroy()
              return
            }
            void readBody(req).then((text) => {
              const respond = () => {
                const url = new URL(req.url ?? "/", "http://sandbox")
                const path = url.pathname
                const record = (status: number, key?: string, body?: unknown) =>
                  requests[system].push({ method: req.method ?? "GET", path, status, ...(key !== undefined ? { idempotencyKey: key } : {}), ...(body !== undefined ? { body } : {}), at: Date.now(), ...(typeof req.headers.traceparent === "string" ? { traceparent: req.headers.traceparent } : {}) })
                if (Math.random() < k.rate429) {
                  record(429)
                  return send(res, 429, { message: "rate limited" }, { "retry-after": String(k.retryAfterSeconds) })
                }
                if (Math.random() < k.errorRate) {
                  record(503)
                  return send(res, 503, { message: "unavailable" })
                }
                let body: unknown
                try {
                  body = text.length > 0 ? JSON.parse(text) : undefined
                } catch {
                  if ((req.headers["content-type"] ?? "").includes("json")) {
                    record(400)
                    return send(res, 400, { message: "malformed JSON" })
                  }
                  body = text
                }
                const r = handler({ method: req.method ?? "GET", path, query: url.searchParams, body, headers: req.headers })
                record(r.status, r.key, body)
                send(res, r.status, r.body)
              }
              if (k.latencyMs > 0) setTimeout(respond, k.latencyMs)
              else respond()
            })
          })
          server.keepAliveTimeout = 30_000
          server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
        }),
        (server) =>
          Effect.async<void>((resume) => {
            server.closeAllConnections()
            server.close(() => resume(Effect.void))
          })
      ).pipe(
        Effect.tap((server) =>
          Effect.sync(() => {
            state.urls[system] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
          })
        )
      )

    yield* serveSystem("erp", erp)
    yield* serveSystem("wms", wms)
    yield* serveSystem("amazon-us", amazon)
    yield* serveSystem("shopify-main", shopify)
    yield* Effect.addFinalizer(() =>
      Effect.sync(() => {
        for (const t of timers) clearTimeout(t)
        timers.clear()
      })
    )
    return state
  })

/** The four sandbox systems on ephemeral ports, closed with the scope. */
export const layer = (options?: SandboxOptions): Layer.Layer<Sandbox> => Layer.scoped(Sandbox, make(options))

/** Runtime settings that point the partners at the sandbox (endpoints, token URLs, secrets). */
export const runtimeSettings = (s: SandboxState) => ({
  endpoints: { erp: s.urls.erp, wms: s.urls.wms, "amazon-us": s.urls["amazon-us"], "shopify-main": s.urls["shopify-main"] },
  tokenUrls: { erp: `${s.urls.erp}/oauth2/token`, "amazon-us": `${s.urls["amazon-us"]}/auth/o2/token` },
  env: { ...s.secrets }
})
