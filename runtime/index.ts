// tradelane/runtime: the public API. Generated flows (generated/flows/*.ts) import `Flow` (the definition
// combinators) and `Mapping` (the helpers their compiled JSONata expressions call) and nothing else.
// Hosts (the CLI, tests, the demo) use the services and layers below.
export * as Flow from "./engine/flow.ts"
export * as Mapping from "./mapping/index.ts"
