/**
 * The syntax of the scripts the model's `sh -c` runs (`../Shell.ts`): words, quotes, variables,
 * `;`, `&&`, `||` and the redirections it knows — and, for anything else, what it cannot run.
 *
 * @internal
 */

/** @internal */
export type Token =
  | { readonly _tag: "Word"; readonly parts: ReadonlyArray<Part> }
  | { readonly _tag: "Op"; readonly op: ";" | "&&" | "||" }
  | {
    readonly _tag: "Redirect"
    readonly fd: 1 | 2
    readonly to: "stderr" | "stdout" | { readonly path: string; readonly append: boolean }
  }

/** A piece of a word: literal text, or a variable to expand (split into words when unquoted). */
export type Part = { readonly text: string } | { readonly variable: string; readonly quoted: boolean }

const REFUSED = new Map([
  ["|", "a pipe"],
  ["&", "a background job"],
  ["<", "an input redirection"],
  [">", "a redirection other than >&2, 2>&1, > FILE and >> FILE"],
  ["`", "a command substitution"],
  ["(", "a subshell"],
  [")", "a subshell"],
  ["*", "a glob"],
  ["?", "a glob"],
  ["[", "a glob"],
  ["~", "a tilde expansion"]
])

/** Splits a script into words, operators and redirections, or names what it cannot run. */
/** @internal */
export const tokenize = (source: string): Array<Token> | string => {
  const tokens: Array<Token> = []
  let i = 0
  let parts: Array<Part> | undefined
  const literal = (text: string) => (parts ??= []).push({ text })
  const end = () => {
    if (parts !== undefined) tokens.push({ _tag: "Word", parts })
    parts = undefined
  }
  const variable = (quoted: boolean): string | undefined => {
    // at a `$`: `$NAME`, `${NAME}`, `$?`
    const rest = source.slice(i + 1)
    const match = /^\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(rest) ?? /^([A-Za-z_][A-Za-z0-9_]*|\?)/.exec(rest)
    if (match === null) return rest.startsWith("(") ? "a command substitution" : `the expansion $${rest.slice(0, 2)}`
    ;(parts ??= []).push({ variable: match[1]!, quoted })
    i += 1 + match[0].length
    return undefined
  }
  while (i < source.length) {
    const c = source[i]!
    const rest = source.slice(i)
    if (c === " " || c === "\t") {
      end()
      i++
    } else if (c === "\n" || c === ";") {
      end()
      tokens.push({ _tag: "Op", op: ";" })
      i++
    } else if (rest.startsWith("&&") || rest.startsWith("||")) {
      end()
      tokens.push({ _tag: "Op", op: rest.slice(0, 2) as "&&" | "||" })
      i += 2
    } else if (parts === undefined && /^(1?>&2|2>&1)(?=[\s;&|]|$)/.test(rest)) {
      const match = /^(1?>&2|2>&1)/.exec(rest)![0]
      tokens.push(
        match === "2>&1" ? { _tag: "Redirect", to: "stdout", fd: 2 } : { _tag: "Redirect", to: "stderr", fd: 1 }
      )
      i += match.length
    } else if (parts === undefined && /^[12]?>>?\s*[^\s;&|<>'"`$()*?[~]+(?=[\s;&|]|$)/.test(rest)) {
      const [match, fd, append, path] = /^([12]?)(>>?)\s*([^\s;&|<>'"`$()*?[~]+)/.exec(rest)!
      tokens.push({ _tag: "Redirect", fd: fd === "2" ? 2 : 1, to: { path: path!, append: append === ">>" } })
      i += match.length
    } else if (c === "#" && parts === undefined) {
      while (i < source.length && source[i] !== "\n") i++
    } else if (c === "'") {
      const close = source.indexOf("'", i + 1)
      if (close < 0) return "an unterminated quote"
      literal(source.slice(i + 1, close))
      i = close + 1
    } else if (c === "\"") {
      literal("")
      i++
      while (i < source.length && source[i] !== "\"") {
        if (source[i] === "\\" && /["\\$`]/.test(source[i + 1] ?? "")) {
          literal(source[i + 1]!)
          i += 2
        } else if (source[i] === "$") {
          const refused = variable(true)
          if (refused !== undefined) return refused
        } else if (source[i] === "`") {
          return "a command substitution"
        } else {
          literal(source[i]!)
          i++
        }
      }
      if (i >= source.length) return "an unterminated quote"
      i++
    } else if (c === "\\") {
      if (source[i + 1] !== "\n") literal(source[i + 1] ?? "")
      i += 2
    } else if (c === "$") {
      const refused = variable(false)
      if (refused !== undefined) return refused
    } else if (REFUSED.has(c)) {
      return REFUSED.get(c)!
    } else {
      literal(c)
      i++
    }
  }
  end()
  return tokens
}

/** A word's fields after expansion: unquoted variables split on blanks, as sh does. */
/** @internal */
export const expand = (parts: ReadonlyArray<Part>, lookup: (name: string) => string): Array<string> => {
  const fields: Array<string> = []
  let current: string | undefined
  for (const part of parts) {
    if ("text" in part) {
      current = (current ?? "") + part.text
    } else if (part.quoted) {
      current = (current ?? "") + lookup(part.variable)
    } else {
      const pieces = lookup(part.variable).split(/[ \t\n]+/)
      pieces.forEach((piece, index) => {
        if (index > 0) {
          if (current !== undefined && current !== "") fields.push(current)
          current = undefined
        }
        if (piece !== "") current = (current ?? "") + piece
      })
    }
  }
  if (current !== undefined) fields.push(current)
  return fields
}
