/**
 * A health check's command as podman 4 takes it: one shell command line (its CLI does not parse
 * the JSON `CMD` form), each word quoted for `/bin/sh`.
 *
 * @internal
 */

/** Quotes a word for `/bin/sh`. */
const shellQuote = (word: string): string => /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`

/** The shell command line of a health check's argv. @internal */
export const healthCommand = (argv: ReadonlyArray<string>): string => argv.map(shellQuote).join(" ")
