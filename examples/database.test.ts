/**
 * A Postgres-style scoped test, written with effect-podman-vitest: the database container is
 * started once for the file, waited for by its log line, shared by the tests, and removed after
 * them. (No registry is reachable here, so the "database" is busybox from the local test image,
 * printing Postgres's ready line and serving on the database port; with a registry, the spec is
 * `{ image: "docker.io/library/postgres:16", env: { POSTGRES_PASSWORD: … }, ports: [{ container: 5432 }] }`.)
 */
import { assert } from "@effect/vitest"
import { Context, Effect, Layer, Option } from "effect"
import { ContainerRuntime, Wait } from "effect-podman"
import { PodmanTest } from "effect-podman-vitest"

class Database extends Context.Tag("examples/Database")<Database, ContainerRuntime.ManagedContainer>() {}

const DatabaseLive = PodmanTest.containerLayer(
  Database,
  {
    image: "localhost/effect-podman-test:latest",
    namePrefix: "example-db",
    command: [
      "sh",
      "-c",
      "echo 'initializing database'; sleep 0.3; echo 'database system is ready to accept connections'; httpd -f -p 5432 -h /www"
    ],
    ports: [{ container: 5432 }]
  },
  { wait: Wait.all(Wait.forLog(/ready to accept connections/), Wait.forPort(5432)), deadline: "60 seconds" }
)

/** The code under test: a repository that talks to the database at a URL it is given. */
class Repository extends Context.Tag("examples/Repository")<Repository, {
  readonly ping: Effect.Effect<string>
}>() {}

const RepositoryLive = Layer.effect(
  Repository,
  Effect.map(Database, (db) => {
    const url = `http://127.0.0.1:${Option.getOrThrow(db.hostPort(5432))}/`
    return { ping: Effect.promise(() => fetch(url).then((response) => response.text())) }
  })
)

PodmanTest.describe("a repository against a real database container", (it) => {
  it.layer(DatabaseLive)((it) => {
    it.layer(RepositoryLive)((it) => {
      it.effect("answers through the published port", () =>
        Effect.gen(function*() {
          const repository = yield* Repository
          assert.include(yield* repository.ping, "effect-podman")
        }))

      it.effect("the database is one container, running, shared by the tests", () =>
        Effect.gen(function*() {
          const db = yield* Database
          const runtime = yield* ContainerRuntime.ContainerRuntime
          assert.isTrue(yield* db.running)
          assert.deepStrictEqual([...(yield* runtime.containerStates("example-db")).keys()], [db.name])
        }))
    })
  })
})
