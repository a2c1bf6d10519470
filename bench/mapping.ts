// `npm run bench -- mapping`: the Amazon order -> canonical order mapping, run three ways in one process
// over the same orders: (a) the module compiled by compiler/emit/jsonata, (b) the jsonata interpreter
// (expression prepared once, `$lookup` registered), (c) a hand-written TypeScript function.
// Targets (issue 3 §5): compiled >= 50x the interpreter and >= 0.5x hand-written.
//
// The mapping is partners/amazon-us/mappings/amazon-order-to-order.yaml when present, else a built-in
// copy of a realistic one. Orders are built from the SP-API getOrder/getOrderItems examples in
// test/fixtures/json (see the NOTICE there).
import { Either } from "effect"
import jsonata from "jsonata"
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { parse } from "yaml"
import { compileMappingModule, toJsonataExpression, type FieldTree, type LookupTables } from "../compiler/emit/jsonata/index.ts"
import * as rt from "../runtime/mapping/index.ts"

const here = dirname(fileURLToPath(import.meta.url))
const repo = join(here, "..")
const ORDERS = 5000

type Json = Record<string, unknown>

interface MappingSpec {
  readonly name: string
  readonly fields: FieldTree
  readonly tables: LookupTables
  readonly origin: string
}

/** Used only when the example organisation's mapping is missing. */
const BUILT_IN: MappingSpec = {
  name: "amazon-order-to-order",
  origin: "built-in copy",
  tables: {
    accounts: { ATVPDKIKX0DER: "C10010" },
    serviceLevels: { Standard: "standard", Expedited: "expedited", NextDay: "next-day" },
    skus: { NABetaASINB00551Q3CS: "BK-CARD-0001" }
  },
  fields: {
    orderId: "'AMZ-' & AmazonOrderId",
    channel: "'amazon'",
    poNumber: "BuyerInfo.PurchaseOrderNumber",
    customer: { fields: { customerId: "$lookup('accounts', MarketplaceId)", name: "BuyerInfo.BuyerName", email: "BuyerInfo.BuyerEmail" } },
    orderDate: "PurchaseDate",
    currency: "OrderTotal.CurrencyCode ? OrderTotal.CurrencyCode : OrderItems[0].ItemPrice.CurrencyCode",
    serviceLevel: "$lookup('serviceLevels', ShipmentServiceLevelCategory, 'standard')",
    requestedShipDate: "$substring(LatestShipDate, 0, 10)",
    shipTo: { fields: { name: "ShippingAddress.Name", line1: "ShippingAddress.AddressLine1", city: "ShippingAddress.City", postalCode: "ShippingAddress.PostalCode" } },
    lines: {
      each: "OrderItems[QuantityOrdered > 0]",
      fields: {
        lineId: "OrderItemId",
        sku: "$lookup('skus', SellerSKU, SellerSKU)",
        quantity: "QuantityOrdered",
        unitPrice: "$round($number(ItemPrice.Amount) / QuantityOrdered, 4)"
      }
    },
    totals: { fields: { subtotal: "$sum(OrderItems.$number(ItemPrice.Amount))", total: "OrderTotal.Amount ? $number(OrderTotal.Amount)" } }
  }
}

const loadMapping = (): MappingSpec => {
  const file = join(repo, "partners", "amazon-us", "mappings", "amazon-order-to-order.yaml")
  if (!existsSync(file)) return BUILT_IN
  const doc = parse(readFileSync(file, "utf8")) as { metadata: { name: string }; spec: { fields: FieldTree; tables?: LookupTables } }
  return { name: doc.metadata.name, fields: doc.spec.fields, tables: doc.spec.tables ?? {}, origin: "partners/amazon-us/mappings/amazon-order-to-order.yaml" }
}

const fixture = (name: string): Json => JSON.parse(readFileSync(join(repo, "test", "fixtures", "json", name), "utf8")) as Json

const payloads = (doc: Json): Json[] => {
  const examples = doc["examples"] as Json
  const sandbox = (doc["x-amzn-api-sandbox_static"] as Json[] | undefined) ?? []
  return [((examples["application/json"] as Json)["payload"]) as Json, ...sandbox.map((s) => (s["response"] as Json)["payload"] as Json)]
}

const LEVELS = ["Standard", "Expedited", "NextDay", "SecondDay", "Scheduled"]

/** Thousands of distinct orders shaped like the SP-API samples (getOrder payload + OrderItems). */
const buildOrders = (): Json[] => {
  const orders = payloads(fixture("amzn-spapi-getOrder.response.json"))
  const itemPages = payloads(fixture("amzn-spapi-getOrderItems.response.json"))
  const out: Json[] = []
  for (let i = 0; i < ORDERS; i++) {
    const order = structuredClone(orders[i % orders.length] as Json)
    const items = structuredClone((itemPages[i % itemPages.length] as Json)["OrderItems"] as Json[])
    const extra = i % 4
    for (let k = 0; k < extra; k++) items.push({ ...structuredClone(items[0] as Json), OrderItemId: `${i}-${k}`, SellerSKU: `SKU-${(i * 7 + k) % 97}` })
    items.forEach((item, k) => {
      item["QuantityOrdered"] = (i + k) % 5
      item["ItemPrice"] = { CurrencyCode: "USD", Amount: (((i * 13 + k * 7) % 5000) / 100 + 1).toFixed(2) }
    })
    order["AmazonOrderId"] = `${100 + (i % 900)}-${String(i).padStart(7, "0")}-${String(i * 31 % 10000000).padStart(7, "0")}`
    order["ShipmentServiceLevelCategory"] = LEVELS[i % LEVELS.length]
    order["OrderItems"] = items
    out.push(order)
  }
  return out
}

const amount = (m: unknown): number | undefined => {
  const a = (m as Json | undefined)?.["Amount"]
  return typeof a === "string" ? Number(a) : undefined
}

const round4 = (n: number): number => Math.round(n * 10000) / 10000

/** What an engineer would write by hand for the same mapping (tables inlined as Maps). */
const handWritten = (tables: LookupTables) => {
  const accounts = new Map(Object.entries(tables["accounts"] ?? {}))
  const levels = new Map(Object.entries(tables["serviceLevels"] ?? {}))
  const skus = new Map(Object.entries(tables["skus"] ?? {}))
  return (o: Json): Json => {
    const buyer = o["BuyerInfo"] as Json | undefined
    const ship = o["ShippingAddress"] as Json | undefined
    const total = o["OrderTotal"] as Json | undefined
    const items = (o["OrderItems"] as Json[] | undefined) ?? []
    const firstPrice = items[0]?.["ItemPrice"] as Json | undefined
    let subtotal = 0
    let tax = 0
    let shipping = 0
    let discount = 0
    for (const item of items) {
      subtotal += amount(item["ItemPrice"]) ?? 0
      tax += amount(item["ItemTax"]) ?? 0
      shipping += amount(item["ShippingPrice"]) ?? 0
      discount += amount(item["PromotionDiscount"]) ?? 0
    }
    const latestDelivery = o["LatestDeliveryDate"] as string | undefined
    return {
      orderId: `AMZ-${String(o["AmazonOrderId"])}`,
      channel: "amazon",
      source: { system: "amazon-us", externalId: o["AmazonOrderId"], marketplaceId: o["MarketplaceId"] },
      poNumber: buyer?.["PurchaseOrderNumber"],
      customer: { customerId: accounts.get(o["MarketplaceId"] as string), name: buyer?.["BuyerName"], email: buyer?.["BuyerEmail"] },
      orderDate: o["PurchaseDate"],
      currency: total?.["CurrencyCode"] ?? firstPrice?.["CurrencyCode"],
      serviceLevel: levels.get(o["ShipmentServiceLevelCategory"] as string) ?? "standard",
      requestedShipDate: (o["LatestShipDate"] as string | undefined)?.slice(0, 10),
      requestedDeliveryDate: latestDelivery?.slice(0, 10),
      shipTo: {
        name: ship?.["Name"],
        company: ship?.["CompanyName"],
        line1: ship?.["AddressLine1"],
        line2: ship?.["AddressLine2"],
        city: ship?.["City"],
        region: ship?.["StateOrRegion"],
        postalCode: ship?.["PostalCode"],
        country: ship?.["CountryCode"],
        phone: ship?.["Phone"]
      },
      lines: items
        .filter((item) => (item["QuantityOrdered"] as number) > 0)
        .map((item) => ({
          lineId: item["OrderItemId"],
          sku: skus.get(item["SellerSKU"] as string) ?? item["SellerSKU"],
          description: item["Title"],
          quantity: item["QuantityOrdered"],
          uom: "EA",
          unitPrice: round4((amount(item["ItemPrice"]) ?? 0) / (item["QuantityOrdered"] as number))
        })),
      totals: { subtotal, tax, shipping, discount, total: amount(total) }
    }
  }
}

let sink = 0

/** Runs `f` over all orders repeatedly for at least `ms` (after a warm-up) and returns orders/s. */
const measure = async (label: string, orders: ReadonlyArray<Json>, f: (o: Json) => unknown | Promise<unknown>, ms: number): Promise<number> => {
  const pass = async (): Promise<void> => {
    for (const o of orders) {
      const r = f(o)
      sink += (r instanceof Promise ? await r : r) === undefined ? 0 : 1
    }
  }
  await pass()
  await pass()
  let count = 0
  const start = performance.now()
  while (performance.now() - start < ms) {
    await pass()
    count += orders.length
  }
  const rate = count / ((performance.now() - start) / 1000)
  process.stdout.write(`  ${label.padEnd(14)} ${Math.round(rate).toLocaleString("en-US").padStart(12)} orders/s\n`)
  return rate
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b)

export async function run(): Promise<void> {
  const spec = loadMapping()
  const result = compileMappingModule({ name: spec.name, fields: spec.fields, tables: spec.tables, runtimeImport: "../runtime/mapping/index.ts" })
  if (Either.isLeft(result)) throw new Error(`mapping does not compile: ${JSON.stringify(result.left, null, 2)}`)
  const dir = join(repo, ".bench")
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `${spec.name}.ts`)
  writeFileSync(file, result.right.code)
  const compiled = (await import(pathToFileURL(file).href)) as { apply: (input: unknown) => unknown }

  const expr = jsonata(toJsonataExpression(spec.fields))
  const tables = new Map(Object.entries(spec.tables).map(([name, rows]) => [name, rt.table(Object.entries(rows))] as const))
  expr.registerFunction("lookup", (name: unknown, key: unknown, dflt: unknown) => {
    const t = typeof name === "string" ? tables.get(name) : undefined
    return t === undefined ? undefined : rt.lookupTable(t, key, dflt)
  })
  const hand = handWritten(spec.tables)

  const orders = buildOrders()
  let identical = 0
  for (const o of orders.slice(0, 200)) if (same(compiled.apply(o), await expr.evaluate(o))) identical++
  process.stdout.write(`mapping ${spec.name} (${spec.origin}), ${orders.length} orders\n`)
  process.stdout.write(`  compiled == interpreter on ${identical}/200 sampled orders\n`)

  const interpreted = await measure("interpreter", orders, (o) => expr.evaluate(o), 3000)
  const handRate = await measure("hand-written", orders, hand, 2000)
  const compiledRate = await measure("compiled", orders, compiled.apply, 2000)
  process.stdout.write(`  compiled / interpreter  ${(compiledRate / interpreted).toFixed(1)}x (target >= 50x)\n`)
  process.stdout.write(`  compiled / hand-written ${(compiledRate / handRate).toFixed(2)}x (target >= 0.5x)\n`)
  if (sink < 0) process.stdout.write("")
}
