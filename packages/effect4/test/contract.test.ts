// The contract on the Effect 4 edition's three layers: the CLI and the REST API on real podman,
// and the in-memory model holding the test image.
import { NodeServices } from "@effect/platform-node"
import { Layer } from "effect"
import { Podman, PodmanApi, TestRuntime } from "../src/index.js"
import { baseImage, testImage } from "../../shared/test/crossEdition/testImage.js"
import { contract } from "./contract.js"

contract("cli", Podman.layer().pipe(Layer.provide(NodeServices.layer)))
contract("rest", PodmanApi.layerService().pipe(Layer.orDie, Layer.provide(NodeServices.layer)))
contract("model", TestRuntime.layer({ images: [testImage, baseImage] }))
