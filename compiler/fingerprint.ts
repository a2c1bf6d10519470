// Hashes for the caches. A cache fingerprint: a hash of a source folder's files (by relative path and bytes) and of the versions
// of the packages whose output the cache keeps, so a changed compiler or library invalidates the cache.
import * as crypto from "node:crypto"
import { createHash } from "node:crypto"
import { readdirSync, readFileSync, statSync } from "node:fs"
import { createRequire } from "node:module"
import { join } from "node:path"

const memo = new Map<string, string>()

const sourcesUnder = (dir: string, extensions: ReadonlyArray<string>, out: string[]): void => {
  for (const entry of readdirSync(dir).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const abs = join(dir, entry)
    if (statSync(abs).isDirectory()) sourcesUnder(abs, extensions, out)
    else if (extensions.some((e) => entry.endsWith(e))) out.push(abs)
  }
}

/** Hash of `dir`'s files with these extensions and of these packages' versions (memoised per process). */
export const fingerprint = (dir: string, extensions: ReadonlyArray<string>, packages: ReadonlyArray<string>): string => {
  const key = `${dir}\u0000${extensions.join(",")}\u0000${packages.join(",")}`
  const known = memo.get(key)
  if (known !== undefined) return known
  const hash = createHash("sha256")
  const files: string[] = []
  sourcesUnder(dir, extensions, files)
  for (const f of files) hash.update(f.slice(dir.length)).update("\u0000").update(readFileSync(f)).update("\u0000")
  const require = createRequire(import.meta.url)
  for (const pkg of packages) {
    try {
      hash.update(`${pkg}@${(require(`${pkg}/package.json`) as { version: string }).version}`)
    } catch {
      hash.update(`${pkg}@?`)
    }
  }
  const value = hash.digest("hex").slice(0, 32)
  memo.set(key, value)
  return value
}

const oneShot = (crypto as { hash?: (algorithm: string, data: string) => string }).hash

/** SHA-1 of a text, hex (crypto.hash where Node has it: no Hash object per call). */
export const textHash = (text: string): string => (oneShot ? oneShot("sha1", text) : createHash("sha1").update(text).digest("hex"))
