// A port of JSONata's function-signature validator (jsonata/src/signature.js). Generated code calls a
// built-in's fast path when its arguments have the expected types; every other call goes through
// `validate`, which applies JSONata's exact rules: context substitution for `-` parameters, wrapping a
// non-array in an array for `a` parameters, and T0410/T0411/T0412 errors.
import { fail } from "./errors.ts"

interface Param {
  regex: string
  type: string
  array: boolean
  context: boolean
  contextRegex?: RegExp
  subtype?: string
}

export interface Signature {
  readonly validate: (args: ReadonlyArray<unknown>, context: unknown) => unknown[]
}

export const symbolOf = (value: unknown): string => {
  if (typeof value === "function") return "f"
  switch (typeof value) {
    case "string":
      return "s"
    case "number":
      return "n"
    case "boolean":
      return "b"
    case "object":
      return value === null ? "l" : Array.isArray(value) ? "a" : "o"
    default:
      return "m"
  }
}

const closing = (str: string, start: number, open: string, close: string): number => {
  let depth = 1
  let position = start
  while (position < str.length) {
    position++
    const symbol = str.charAt(position)
    if (symbol === close) {
      depth--
      if (depth === 0) break
    } else if (symbol === open) {
      depth++
    }
  }
  return position
}

export const parseSignature = (signature: string): Signature => {
  const params: Param[] = []
  let param: Param = { regex: "", type: "", array: false, context: false }
  let prev: Param = param
  const next = (): void => {
    params.push(param)
    prev = param
    param = { regex: "", type: "", array: false, context: false }
  }
  let position = 1
  while (position < signature.length) {
    const symbol = signature.charAt(position)
    if (symbol === ":") break
    switch (symbol) {
      case "s":
      case "n":
      case "b":
      case "l":
      case "o":
        param.regex = `[${symbol}m]`
        param.type = symbol
        next()
        break
      case "a":
        param.regex = "[asnblfom]"
        param.type = symbol
        param.array = true
        next()
        break
      case "f":
        param.regex = "f"
        param.type = symbol
        next()
        break
      case "j":
        param.regex = "[asnblom]"
        param.type = symbol
        next()
        break
      case "x":
        param.regex = "[asnblfom]"
        param.type = symbol
        next()
        break
      case "-":
        prev.context = true
        prev.contextRegex = new RegExp(prev.regex)
        prev.regex += "?"
        break
      case "?":
      case "+":
        prev.regex += symbol
        break
      case "(": {
        const end = closing(signature, position, "(", ")")
        const choice = signature.substring(position + 1, end)
        param.regex = `[${choice}m]`
        param.type = `(${choice})`
        position = end
        next()
        break
      }
      case "<": {
        const end = closing(signature, position, "<", ">")
        prev.subtype = signature.substring(position + 1, end)
        position = end
        break
      }
    }
    position++
  }
  const regex = new RegExp("^" + params.map((p) => `(${p.regex})`).join("") + "$")

  const invalid = (args: ReadonlyArray<unknown>, supplied: string): never => {
    let partial = "^"
    let goodTo = 0
    for (const p of params) {
      partial += p.regex
      const match = supplied.match(partial)
      if (match === null) return fail("T0410", goodTo + 1)
      goodTo = match[0].length
    }
    return fail("T0410", goodTo + 1)
  }

  return {
    validate: (args, context) => {
      let supplied = ""
      for (const arg of args) supplied += symbolOf(arg)
      const matched = regex.exec(supplied)
      if (matched === null) return invalid(args, supplied)
      const validated: unknown[] = []
      let argIndex = 0
      params.forEach((p, index) => {
        let arg = args[argIndex]
        const match = matched[index + 1] ?? ""
        if (match === "") {
          if (p.context && p.contextRegex !== undefined) {
            if (p.contextRegex.test(symbolOf(context))) validated.push(context)
            else fail("T0411", argIndex + 1)
          } else {
            validated.push(arg)
            argIndex++
          }
          return
        }
        for (const single of match.split("")) {
          arg = args[argIndex]
          if (p.type === "a") {
            if (single === "m") {
              arg = undefined
            } else {
              let arrayOk = true
              if (p.subtype !== undefined) {
                if (single !== "a" && match !== p.subtype) {
                  arrayOk = false
                } else if (single === "a" && Array.isArray(arg) && arg.length > 0) {
                  const itemType = symbolOf(arg[0])
                  arrayOk = itemType === p.subtype.charAt(0) && arg.every((v) => symbolOf(v) === itemType)
                }
              }
              if (!arrayOk) fail("T0412", argIndex + 1)
              if (single !== "a") arg = [arg]
            }
          }
          validated.push(arg)
          argIndex++
        }
      })
      return validated
    }
  }
}
