// Reads a tree's spec files straight from git (no checkout): `git ls-tree` + one `git cat-file --batch`.
import { execFileSync } from "node:child_process"
import type { SourceFile } from "../source/source.ts"
import { SPEC_ROOTS } from "../source/source.ts"

export class GitError {
  readonly _tag = "GitError"
  constructor(readonly message: string) {}
}

const git = (cwd: string, args: ReadonlyArray<string>, input?: string): Buffer =>
  execFileSync("git", args, { cwd, maxBuffer: 1 << 30, ...(input !== undefined ? { input } : {}), stdio: ["pipe", "pipe", "pipe"] })

/** The files under specs/ and partners/ at `ref`, paths relative to the repository root. */
export const readTreeAt = (repo: string, ref: string): ReadonlyArray<SourceFile> | GitError => {
  let commit: string
  try {
    commit = git(repo, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]).toString("utf8").trim()
  } catch {
    return new GitError(`unknown git ref '${ref}'`)
  }
  let listing: string
  try {
    listing = git(repo, ["ls-tree", "-r", "-z", "--full-tree", commit, "--", ...SPEC_ROOTS]).toString("utf8")
  } catch (cause) {
    return new GitError(`cannot list the tree of '${ref}': ${cause instanceof Error ? cause.message.split("\n")[0] : String(cause)}`)
  }
  const entries = listing
    .split("\0")
    .filter((l) => l.length > 0)
    .map((l) => {
      const [meta, path] = l.split("\t") as [string, string]
      const [, type, sha] = meta.split(" ") as [string, string, string]
      return { type, sha, path }
    })
    .filter((e) => e.type === "blob" && /\.(ya?ml|json|edi|x12)$/i.test(e.path))
  if (entries.length === 0) return []
  const out = git(repo, ["cat-file", "--batch"], entries.map((e) => e.sha).join("\n") + "\n")
  const files: SourceFile[] = []
  let pos = 0
  for (const e of entries) {
    const nl = out.indexOf(0x0a, pos)
    const headerLine = out.subarray(pos, nl).toString("utf8")
    const size = Number(headerLine.split(" ")[2])
    files.push({ path: e.path, text: out.subarray(nl + 1, nl + 1 + size).toString("utf8") })
    pos = nl + 1 + size + 1
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

export const repoRoot = (cwd: string): string | GitError => {
  try {
    return git(cwd, ["rev-parse", "--show-toplevel"]).toString("utf8").trim()
  } catch {
    return new GitError("not inside a git repository")
  }
}
