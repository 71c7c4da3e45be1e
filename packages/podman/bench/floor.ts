/**
 * podman's floor over its socket: create + start + the first log line with bare HTTP requests (no
 * library: `node:http` on a kept-alive unix socket), then the forced removal — what no client of
 * the libpod API can do in less. The REST layer's time to ready is reported as a ratio of it.
 */
import { Agent, request } from "node:http"

const API = "/v4.0.0/libpod"

/** A bare libpod client on one socket. */
export const bareClient = (socketPath: string) => {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 })
  const send = (method: string, path: string, body?: unknown) =>
    new Promise<{ readonly status: number; readonly text: string }>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body)
      const req = request(
        {
          socketPath,
          agent,
          method,
          path: `${API}${path}`,
          headers: payload === undefined
            ? {}
            : { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }
        },
        (res) => {
          let text = ""
          res.setEncoding("utf8")
          res.on("data", (chunk: string) => (text += chunk))
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text }))
          res.on("error", reject)
        }
      )
      req.on("error", reject)
      req.end(payload)
    })

  /**
   * Polls the container's log until it holds `marker`: each request is answered at once (podman's
   * own `follow` looks at the file every 250 ms, so a followed log can be a quarter second late).
   */
  const firstLine = async (name: string, marker: string) => {
    while (!(await send("GET", `/containers/${name}/logs?stdout=true&stderr=true`)).text.includes(marker)) {
      /* poll */
    }
  }

  const expect = async (what: string, pending: Promise<{ readonly status: number; readonly text: string }>) => {
    const { status, text } = await pending
    if (status >= 300) throw new Error(`${what}: ${status} ${text}`)
  }

  return {
    /** One container: [ms to its first log line, ms to removed]. */
    cycle: async (spec: { readonly name: string; readonly image: string; readonly command: ReadonlyArray<string> }) => {
      const start = performance.now()
      await expect(
        "create",
        send("POST", "/containers/create", { name: spec.name, image: spec.image, command: spec.command, init: true })
      )
      await expect("start", send("POST", `/containers/${spec.name}/start`))
      await firstLine(spec.name, "ready")
      const ready = performance.now() - start
      await expect("remove", send("DELETE", `/containers/${spec.name}?force=true&timeout=0`))
      return [ready, performance.now() - start]
    },
    close: () => agent.destroy()
  }
}
