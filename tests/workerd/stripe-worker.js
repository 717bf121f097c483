// A Worker that takes one platform's webhooks imports that platform's entry: this one
// loads orderhook/stripe, whose .wasm carries Stripe's code only.
import { limits, parseRequest } from "orderhook/stripe";

export default {
  async fetch(request, env) {
    if (request.method !== "POST") return Response.json(limits().providers);
    const result = await parseRequest(request, { provider: "stripe", secret: env.STRIPE_WEBHOOK_SECRET });
    return Response.json(result, { status: result.ok ? 200 : 400 });
  },
};
