// The contract against the REST layer (libpod API over a unix socket, with its own service).
import { Layer } from "effect"
import { ApiLayer } from "./fixtures.js"
import { contractSuite } from "./suite.js"

contractSuite(Layer.orDie(ApiLayer), { realPodman: true })
