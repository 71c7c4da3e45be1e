/**
 * What the Containerfile of the test image (test-images/Containerfile) makes, as both editions'
 * models hold it: one description, so the models of both editions run the same image.
 */
export const TEST_IMAGE = "localhost/effect-podman-test:latest"

export const testImage = {
  name: TEST_IMAGE,
  labels: {
    "org.opencontainers.image.title": "effect-podman test image",
    "effect-podman.fixture": "true",
    "io.buildah.version": "1.28.2"
  },
  command: ["/bin/sleep", "3600"],
  // the `CreatedBy` of each step, newest first (as podman's history lists them)
  history: [
    "/bin/sh -c #(nop) CMD [\"/bin/sleep\", \"3600\"]",
    "/bin/sh -c #(nop) COPY file:0 in /www/index.html ",
    "/bin/sh -c echo \"second layer\" > /data/second.txt",
    "/bin/sh -c mkdir -p /data && echo \"hello from the image\" > /data/greeting.txt",
    "/bin/sh -c #(nop) LABEL org.opencontainers.image.title=\"effect-podman test image\"",
    "/bin/sh -c #(nop) ADD file:0 in /"
  ],
  // the busybox applets scripts/setup.sh links in /bin
  executables: "busybox sh echo sleep cat ls true false env printf seq head tail wc mkdir rm id httpd yes date hostname"
    .split(" ")
    .flatMap((name) => [name, `/bin/${name}`]),
  // its folders (scripts/setup.sh's busybox import and the Containerfile's), the kernel's aside
  folders: [
    "/",
    "/bin",
    "/data",
    "/dev",
    "/dev/fd",
    "/dev/mqueue",
    "/dev/pts",
    "/dev/shm",
    "/etc",
    "/proc",
    "/run",
    "/sys",
    "/tmp",
    "/www"
  ],
  files: {
    "/data/greeting.txt": "hello from the image\n",
    "/data/second.txt": "second layer\n",
    "/www/index.html": "<h1>effect-podman</h1>\n"
  }
} as const

/** The image the test image is built from (scripts/setup.sh): the one tests may tag and untag. */
export const BASE_IMAGE = "localhost/effect-podman-base:latest"

export const baseImage = {
  name: BASE_IMAGE,
  command: ["/bin/sh"],
  history: ["/bin/sh -c #(nop) ADD file:0 in /"]
} as const
