/**
 * The contract of `copyIn` with an odd host tree, for the layers that run real podman (the model
 * holds regular files only and says so: see testRuntime.test.ts). Each layer's copy is compared,
 * entry by entry, with the host tree: names, types, modes, link targets and bytes — so the CLI
 * (`podman cp`) and the REST layer (an archive built by this library) must arrive at the same tree.
 */
import { assert, describe } from "@effect/vitest"
import { Effect } from "effect"
import { mkdirSync } from "node:fs"
import { join } from "node:path"
import { DESCRIBE_SCRIPT, describeHost, makeOddTree, md5 } from "../../../shared/test/crossEdition/oddTree.js"
import { ContainerRuntime } from "../../src/ContainerRuntime.js"
import { Fixtures, uniqueName } from "./fixtures.js"
import { hostDir } from "./helpers.js"
import type { ContractIt } from "./suite.js"

/** The odd tree at `root`, its socket's server closed with the scope. */
const makeTree = (root: string) =>
  Effect.acquireRelease(Effect.promise(() => makeOddTree(root)), (close) => Effect.promise(close))

export const copyTreeContract = (it: ContractIt) => {
  describe("copyIn of an odd tree", () => {
    it.scoped("arrives as it is on the host: long names, modes, links as links, an empty dir, a FIFO; no socket", () =>
      Effect.gen(function*() {
        const runtime = yield* ContainerRuntime
        const root = join(yield* hostDir, "tree")
        mkdirSync(root)
        yield* makeTree(root)
        const name = uniqueName("cptree")
        yield* (yield* Fixtures).running(name)
        // a FIFO that was read would block this call forever: the bound turns that into a failure
        yield* runtime.container(name).copyIn(root, "/dst").pipe(Effect.timeout("20 seconds"))
        const listed = yield* runtime.exec(name, ["/bin/busybox", "sh", "-c", DESCRIBE_SCRIPT, "sh", "/dst"])
        assert.strictEqual(listed.exitCode, 0, listed.stderr)
        const inside = listed.stdout.split("\n").filter((line) => line !== "").sort()
        const expected = describeHost(root)
        assert.deepStrictEqual(inside, expected)
        assert.include(inside, "escape|symbolic link|777|777/etc/shadow")
        assert.include(inside, "sub/private|regular file|600|" + md5("only the owner\n"))
        const ran = yield* runtime.exec(name, ["/dst/run.sh"])
        assert.strictEqual(ran.stdout, "ran\n")
      }))
  })
}
