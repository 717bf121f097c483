# The example Worker in workerd, the open-source runtime of Cloudflare Workers, without
# wrangler. From this folder, with orderhook installed in ./node_modules:
#
#   npx workerd serve workerd.capnp --import-path node_modules
#
# `--import-path` (-I) says where the "/orderhook/..." files below are: the folder that
# holds the installed package. Secrets and settings come from the environment of the
# workerd process (see `bindings`); `--socket-addr http=127.0.0.1:PORT` changes the port.
# On Cloudflare itself, use wrangler.toml instead: wrangler finds all of this by itself.

using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "webhooks", worker = .webhooks)],
  sockets = [(name = "http", address = "127.0.0.1:8787", http = (), service = "webhooks")],
);

const webhooks :Workerd.Worker = (
  modules = [
    # The Worker itself; the first module is the entry point. workerd resolves every
    # specifier against the importing module's name, "orderhook" included, so the
    # Worker's modules are named at the root ("index.js", not "src/index.js").
    (name = "index.js", esModule = embed "src/index.js"),
    (name = "on-order.js", esModule = embed "src/on-order.js"),

    # `import ... from "orderhook"`, resolved as wrangler's bundler does: the "workerd"
    # condition of the package's exports (workerd.js), and every module it imports,
    # named by their paths so that their relative imports resolve. The .wasm is a
    # `wasm` module: workerd compiles it at startup, and orderhook instantiates it
    # synchronously on import (no fetch, no eval, no `await init()`).
    (name = "orderhook", esModule = embed "/orderhook/workerd.js"),
    (name = "core.js", esModule = embed "/orderhook/core.js"),
    (name = "orderhook.js", esModule = embed "/orderhook/orderhook.js"),
    (name = "orderhook_bg.wasm", wasm = embed "/orderhook/orderhook_bg.wasm"),
  ],
  compatibilityDate = "2026-11-01",
  bindings = [
    # Secrets (set them in the environment; in production: `wrangler secret put NAME`),
    # one per registered provider.
    # generated:secrets (npm run docs)
    (name = "POLAR_WEBHOOK_SECRET", fromEnvironment = "POLAR_WEBHOOK_SECRET"),
    (name = "VOUCHERIFY_WEBHOOK_SECRET", fromEnvironment = "VOUCHERIFY_WEBHOOK_SECRET"),
    (name = "VRIO_PATH_TOKEN", fromEnvironment = "VRIO_PATH_TOKEN"),
    (name = "PADDLE_WEBHOOK_SECRET", fromEnvironment = "PADDLE_WEBHOOK_SECRET"),
    (name = "WOOCOMMERCE_WEBHOOK_SECRET", fromEnvironment = "WOOCOMMERCE_WEBHOOK_SECRET"),
    (name = "STRIPE_WEBHOOK_SECRET", fromEnvironment = "STRIPE_WEBHOOK_SECRET"),
    (name = "LEMON_SQUEEZY_WEBHOOK_SECRET", fromEnvironment = "LEMON_SQUEEZY_WEBHOOK_SECRET"),
    (name = "SHOPIFY_WEBHOOK_SECRET", fromEnvironment = "SHOPIFY_WEBHOOK_SECRET"),
    # /generated:secrets
    # Plain settings (optional; unset means the defaults in src/index.js).
    (name = "VRIO_TIME_ZONE", fromEnvironment = "VRIO_TIME_ZONE"),
    (name = "VRIO_CURRENCY", fromEnvironment = "VRIO_CURRENCY"),
    (name = "VOUCHERIFY_CURRENCY", fromEnvironment = "VOUCHERIFY_CURRENCY"),
    (name = "MAX_BODY_BYTES", fromEnvironment = "MAX_BODY_BYTES"),
  ],
);
