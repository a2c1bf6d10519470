// Durations as the specs write them (`250ms`, `30s`, `5m`, `24h`, `28d`, `4w`) and as Prometheus does.

const UNIT_SECONDS: Readonly<Record<string, number>> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 }

/** Seconds in a spec duration; undefined when it is not one. */
export const durationSeconds = (text: string): number | undefined => {
  const m = /^([0-9]+)(ms|s|m|h|d|w)$/.exec(text)
  return m ? Number(m[1]) * UNIT_SECONDS[m[2]!]! : undefined
}

/** A Prometheus duration for whole seconds, largest units first: 93600 -> `1d2h`. */
export const promDuration = (seconds: number): string => {
  let rest = Math.max(1, Math.round(seconds))
  let out = ""
  for (const [unit, size] of [["d", 86400], ["h", 3600], ["m", 60], ["s", 1]] as const) {
    const n = Math.floor(rest / size)
    if (n > 0) {
      out += `${n}${unit}`
      rest -= n * size
    }
  }
  return out
}

/** A number as Prometheus and the runtime print it in an `le` label or a threshold. */
export const promNumber = (n: number): string => String(Number(n.toPrecision(12)))
