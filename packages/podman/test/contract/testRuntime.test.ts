// The contract against the in-memory test layer.
import { ModelLayer } from "./fixtures.js"
import { contractSuite } from "./suite.js"

contractSuite(ModelLayer, { realPodman: false })
