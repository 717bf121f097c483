// A tiny Worker that imports the built package as a Worker project would
// (`import ... from "orderhook"`, resolved through the package's `workerd` export)
// and answers a POST with the verdict as JSON.
import { parse, parseRequest, version } from "orderhook";

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
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
