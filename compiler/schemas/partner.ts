import type { JsonSchema } from "./common.ts"
import { envelope, name, secretRef } from "./common.ts"
import { criticality, duration, x12Document } from "./fragments.ts"

const secretOrRef: JsonSchema = secretRef

const auth: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["type"],
  properties: {
    type: { enum: ["bearer", "basic", "api-key", "oauth2-client-credentials", "lwa"], description: "Authentication scheme." },
    token: secretOrRef,
    username: secretOrRef,
    password: secretOrRef,
    header: { type: "string", description: "Header carrying the api key (api-key)." },
    key: secretOrRef,
    tokenUrl: { type: "string", format: "uri" },
    clientId: secretOrRef,
    clientSecret: secretOrRef,
    refreshToken: secretOrRef,
    scopes: { type: "array", items: { type: "string" } }
  }
}

const operation: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["method", "path"],
  properties: {
    method: { enum: ["GET", "POST", "PUT", "PATCH", "DELETE"] },
    path: { type: "string", pattern: "^/", description: "Path below the base URL; {name} placeholders are filled from the request." },
    request: { type: "string", description: "Name of the request body schema (see schemas)." },
    response: { type: "string", description: "Name of the response body schema (see schemas)." },
    idempotencyHeader: { type: "string", description: "Header carrying the idempotency key, e.g. Idempotency-Key." },
    timeout: duration,
    description: { type: "string" }
  }
}

const webhook: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["path"],
  properties: {
    path: { type: "string", pattern: "^/", description: "Ingress path served by the runtime." },
    topics: {
      type: "object",
      description: "Topic (e.g. orders/create) to the schema name of its body.",
      additionalProperties: { type: "string" }
    },
    signature: {
      type: "object",
      additionalProperties: false,
      required: ["algorithm", "header", "secret"],
      properties: {
        algorithm: { enum: ["hmac-sha256"] },
        header: { type: "string", description: "Header carrying the signature, e.g. X-Shopify-Hmac-Sha256." },
        encoding: { enum: ["base64", "hex"] },
        secret: secretOrRef
      }
    },
    maxBodyBytes: { type: "integer", minimum: 1024, maximum: 67108864 }
  }
}

const ediTransport: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["inbox", "outbox"],
  properties: {
    protocol: { enum: ["directory", "sftp", "as2"], description: "directory is served; sftp and as2 are declared for documentation." },
    inbox: { type: "string", description: "Folder (relative to the runtime data dir) where the partner's files arrive." },
    outbox: { type: "string", description: "Folder where outbound files are written (write, then rename)." },
    archive: { type: "string" },
    quarantine: { type: "string" },
    host: { type: "string" },
    username: secretOrRef,
    password: secretOrRef
  }
}

const ediIdentity: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["qualifier", "id"],
  properties: {
    qualifier: { type: "string", pattern: "^[0-9A-Z]{2}$", description: "ISA05/ISA07 qualifier, e.g. ZZ, 01, 08, 12." },
    id: { type: "string", minLength: 1, maxLength: 15, description: "ISA06/ISA08 interchange id." },
    gsId: { type: "string", minLength: 2, maxLength: 15, description: "GS02/GS03 application code; defaults to the interchange id." }
  }
}

const ediDocument: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["type", "direction"],
  properties: {
    type: x12Document,
    direction: { enum: ["inbound", "outbound"] },
    guide: { ...name, description: "The Guide that describes this document for this partner." },
    mapping: { ...name, description: "The Mapping that turns it into (inbound) or builds it from (outbound) canonical data." }
  }
}

const edi: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["partner", "us", "version", "documents"],
  properties: {
    partner: ediIdentity,
    us: ediIdentity,
    version: { type: "string", pattern: "^00[0-9]{3}$", description: "ISA12 interchange control version, e.g. 00401." },
    groupVersion: { type: "string", description: "GS08, e.g. 004010 or 004010VICS." },
    usage: { enum: ["P", "T"], description: "ISA15: production or test." },
    delimiters: {
      type: "object",
      additionalProperties: false,
      properties: {
        element: { type: "string", minLength: 1, maxLength: 1 },
        component: { type: "string", minLength: 1, maxLength: 1 },
        segment: { type: "string", minLength: 1, maxLength: 1 },
        repetition: { type: "string", minLength: 1, maxLength: 1 }
      }
    },
    documents: { type: "array", minItems: 1, items: ediDocument },
    acknowledgment: {
      type: "object",
      additionalProperties: false,
      properties: {
        send: { enum: ["997", "999", "none"], description: "What we send back for the partner's groups." },
        expect: { enum: ["997", "999", "none"], description: "What the partner sends back for ours." },
        within: duration,
        requestTA1: { type: "boolean", description: "ISA14 on our interchanges." }
      }
    }
  }
}

const warehouse: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["code", "serviceLevels"],
  properties: {
    code: { type: "string", pattern: "^[A-Z0-9-]{2,16}$", description: "The WMS's site code." },
    name: { type: "string" },
    timezone: { type: "string" },
    region: { type: "string", description: "Shipping region served first, e.g. US-WEST." },
    serviceLevels: {
      type: "array",
      minItems: 1,
      uniqueItems: true,
      items: { enum: ["standard", "expedited", "next-day", "freight"] }
    },
    cutoff: { type: "string", pattern: "^([01][0-9]|2[0-3]):[0-5][0-9]$", description: "Same-day pick cut-off, local time." },
    constraints: {
      type: "object",
      additionalProperties: false,
      properties: {
        hazmat: { type: "boolean", description: "May ship hazardous materials." },
        maxWeightKg: { type: "number", exclusiveMinimum: 0 },
        channels: { type: "array", items: { type: "string" }, description: "Sales channels it may fulfil (empty = all)." },
        carriers: { type: "array", items: { type: "string" } }
      }
    },
    priority: { type: "integer", minimum: 1, description: "Lower wins ties." }
  }
}

export const partnerSchema = envelope("Partner", "tradelane Partner: a system tradelane talks to", {
  type: "object",
  additionalProperties: false,
  required: ["type", "criticality"],
  properties: {
    type: { enum: ["marketplace", "edi", "warehouse", "erp"] },
    displayName: { type: "string" },
    criticality,
    http: {
      type: "object",
      additionalProperties: false,
      required: ["baseUrl"],
      properties: {
        baseUrl: { type: "string", format: "uri" },
        timeout: duration,
        auth,
        headers: { type: "object", additionalProperties: { type: "string" }, description: "Extra request headers (no secrets)." },
        rateLimit: {
          type: "object",
          additionalProperties: false,
          required: ["requestsPerSecond"],
          properties: {
            requestsPerSecond: { type: "number", exclusiveMinimum: 0 },
            burst: { type: "integer", minimum: 1 }
          }
        },
        operations: { type: "object", additionalProperties: operation, propertyNames: { pattern: "^[a-z][A-Za-z0-9]*$" } }
      }
    },
    webhook,
    schemas: {
      type: "object",
      description: "Payload schemas: name -> JSON Schema file, relative to the partner folder.",
      additionalProperties: { type: "string", pattern: "\\.json$" },
      propertyNames: { pattern: "^[A-Z][A-Za-z0-9]*$" }
    },
    transport: ediTransport,
    edi,
    warehouses: { type: "array", items: warehouse },
    crosswalks: {
      type: "object",
      description: "Identifier crosswalks (locations, units of measure, SKUs): table -> from -> to.",
      additionalProperties: { type: "object", additionalProperties: { type: "string" } }
    },
    mappings: { type: "array", items: name, description: "Mappings this partner owns (informational)." }
  }
})
