// The contract against real podman (the local test images must exist: `make test` builds them).
import { LiveLayer } from "./fixtures.js"
import { contractSuite } from "./suite.js"

contractSuite(LiveLayer, { realPodman: true })
