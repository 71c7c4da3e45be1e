/**
 * What the podman these tests run against is: rootless or not, and under which cgroups — asked of
 * podman itself (`podman info`), once, when a test file loads. Both editions' contracts tell their
 * model the same (`host: HOST_MODE`), so the three layers answer alike here: rootless under cgroup
 * v1, podman refuses `pause`, `unpause` and `stats` (`Unsupported`), and the contract asserts that
 * refusal instead.
 */
import { execFileSync, spawnSync } from "node:child_process"

const [rootless, cgroups] = (() => {
  try {
    return execFileSync("podman", ["info", "--format", "{{.Host.Security.Rootless}} {{.Host.CgroupsVersion}}"], {
      encoding: "utf8",
      timeout: 30_000,
      stdio: ["ignore", "pipe", "ignore"]
    }).trim().split(" ")
  } catch {
    return ["false", "v2"] // no podman here: the model-only runs, as root under cgroup v2
  }
})()

export const HOST_MODE: { readonly rootless: boolean; readonly cgroupVersion: "v1" | "v2" } = {
  rootless: rootless === "true",
  cgroupVersion: cgroups === "v1" ? "v1" : "v2"
}

/** Whether podman refuses pause, unpause and stats here: rootless under cgroup v1. */
export const CGROUPLESS = HOST_MODE.rootless && HOST_MODE.cgroupVersion === "v1"

/**
 * Where this podman's `file` event logger writes: `events/events.log` in its tmp dir, which podman
 * names itself at debug level ("Using tmp dir …": `/run/libpod` as root, under `$XDG_RUNTIME_DIR`
 * rootless; podman 4.3's `info` does not say).
 */
export const EVENTS_LOG: string = (() => {
  const { stderr } = spawnSync("podman", ["--log-level", "debug", "version"], { encoding: "utf8", timeout: 30_000 })
  return `${/Using tmp dir (\S+?)"/.exec(stderr ?? "")?.[1] ?? "/run/libpod"}/events/events.log`
})()
