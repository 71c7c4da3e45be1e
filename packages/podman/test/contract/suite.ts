/**
 * The contract: every behaviour of `ContainerRuntime`, written once and run against each layer.
 * What passes here for the test layer is what real podman does (the same files run on both).
 */
import { layer } from "@effect/vitest"
import type { Vitest } from "@effect/vitest"
import { Duration } from "effect"
import type { Layer } from "effect"
import type { ContainerRuntime } from "../../src/ContainerRuntime.js"
import { copyTreeContract } from "./copyTree.js"
import { coreContract } from "./core.js"
import { errorsContract } from "./errors.js"
import { filesContract } from "./files.js"
import type { Fixtures } from "./fixtures.js"
import { imagesContract } from "./images.js"
import { lifecycleContract } from "./lifecycle.js"
import { processesContract } from "./processes.js"
import { refusalsContract } from "./refusals.js"
import { resourcesContract } from "./resources.js"
import { streamsContract } from "./streams.js"

export type ContractIt = Vitest.MethodsNonLive<ContainerRuntime | Fixtures, true>

/**
 * Runs the contract against a layer. `realPodman` adds what only a real podman can be asked (the
 * model refuses it loudly, and its own tests show that): `copyIn` of links, FIFOs and devices.
 */
export const contractSuite = (
  layerUnderTest: Layer.Layer<ContainerRuntime | Fixtures>,
  options: { readonly realPodman: boolean }
) =>
  layer(layerUnderTest, { excludeTestServices: true, timeout: Duration.minutes(2) })("contract", (it) => {
    coreContract(it)
    streamsContract(it)
    lifecycleContract(it)
    processesContract(it)
    refusalsContract(it)
    resourcesContract(it)
    imagesContract(it)
    filesContract(it)
    errorsContract(it)
    if (options.realPodman) copyTreeContract(it)
  })
