// A tiny Worker that imports the built package as a Worker project would
// (`import ... from "orderhook"`, resolved through the package's `workerd` export)
// and answers a POST with the verdict as JSON.
import { init, initSync, parse, parseRequest, ready, version } from "orderhook";

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/loading") {
      // The same loading API as every entry; here the wasm is instantiated on import.
      const settled = await Promise.race([ready.then(() => "resolved"), new Promise((r) => setTimeout(() => r("pending"), 0))]);
      await init();
      initSync(new Uint8Array(0)); // no wasm, but an instance exists: nothing to do
      return Response.json({ ready: settled, parsed: parse("{}").ok === false });
    }
    if (request.method !== "POST") return new Response(`orderhook ${version}\n`);
    if (url.pathname === "/verified") {
      // Verify the Polar signature over the raw bytes, then parse them.
      const result = await parseRequest(request, { provider: "polar", secret: env.POLAR_SECRET });
      return Response.json(result, { status: result.ok ? 200 : 400 });
    }
    const timeZone = url.searchParams.get("timeZone") ?? undefined;
    const result = parse(await request.arrayBuffer(), { timeZone });
    return Response.json(result, { status: result.ok ? 200 : 422 });
  },
};
