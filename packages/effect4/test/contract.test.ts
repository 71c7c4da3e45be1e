// The contract on the Effect 4 edition's three layers: the CLI and the REST API on real podman
// (with a real registry on loopback), and the in-memory model holding the test image (with a
// registry it declares).
import { NodeServices } from "@effect/platform-node"
import { Layer } from "effect"
import { HOST_MODE } from "../../shared/test/crossEdition/hostMode.js"
import { baseImage, testImage } from "../../shared/test/crossEdition/testImage.js"
import { Podman, PodmanApi, TestRuntime } from "../src/index.js"
import { contract } from "./contract.js"
import * as Registry from "./registry.js"

contract("cli", Layer.merge(Podman.layer(), Registry.layerLive).pipe(Layer.provide(NodeServices.layer)))
contract(
  "rest",
  Layer.merge(PodmanApi.layerService().pipe(Layer.orDie), Registry.layerLive).pipe(Layer.provide(NodeServices.layer))
)
contract(
  "model",
  Layer.merge(
    TestRuntime.layer({ images: [testImage, baseImage], registries: [Registry.MODEL_REGISTRY], host: HOST_MODE }),
    Registry.layerModel
  )
)
