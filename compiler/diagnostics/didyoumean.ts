// "Did you mean …?" suggestions: the closest candidate by Damerau-Levenshtein distance, if close enough.

export const editDistance = (a: string, b: string): number => {
  if (a === b) return 0
  const n = a.length
  const m = b.length
  if (n === 0) return m
  if (m === 0) return n
  let prevPrev = new Array<number>(m + 1).fill(0)
  let prev = Array.from({ length: m + 1 }, (_, j) => j)
  let cur = new Array<number>(m + 1).fill(0)
  for (let i = 1; i <= n; i++) {
    cur[0] = i
    for (let j = 1; j <= m; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prevPrev[j - 2]! + 1)
      cur[j] = v
    }
    ;[prevPrev, prev, cur] = [prev, cur, prevPrev]
  }
  return prev[m]!
}

/** The best suggestion for `input` among `candidates`, or undefined when nothing is close. */
/** Whether `short` is an abbreviation of `long`: same first letter, its letters in order (qty -> quantity). */
const abbreviates = (short: string, long: string): boolean => {
  if (short.length < 3 || short.length >= long.length || short[0] !== long[0]) return false
  let j = 0
  for (let i = 0; i < long.length && j < short.length; i++) if (long[i] === short[j]) j++
  return j === short.length
}

export const didYouMean = (input: string, candidates: Iterable<string>): string | undefined => {
  const lower = input.toLowerCase()
  let best: string | undefined
  let bestScore = Infinity
  for (const c of candidates) {
    if (c === input) continue
    // Allow roughly one edit per three characters, at least one, at most four.
    const limit = input.length < 3 ? 0 : Math.min(4, Math.max(1, Math.floor(Math.max(input.length, c.length) / 3)))
    const cl = c.toLowerCase()
    const score = cl === lower ? 0 : abbreviates(lower, cl) ? limit : editDistance(lower, cl)
    if (score <= limit && (score < bestScore || (score === bestScore && best !== undefined && c < best))) {
      best = c
      bestScore = score
    }
  }
  return best
}

export const suggestion = (input: string, candidates: Iterable<string>): string => {
  const s = didYouMean(input, candidates)
  return s === undefined ? "" : ` Did you mean '${s}'?`
}
