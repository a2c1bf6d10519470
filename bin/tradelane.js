#!/usr/bin/env node
// Entry point of the `tradelane` command: runs the TypeScript CLI through tsx.
import { register } from "tsx/esm/api"
register()
await import("../compiler/cli/main.ts")
