import { defineProject } from "vitest/config"

export default defineProject({
  test: {
    name: "effect-podman-shared",
    include: ["test/**/*.test.ts"]
  }
})
