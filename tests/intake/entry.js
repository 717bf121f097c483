// The intake Worker as the tests run it: examples/intake unchanged, but its Durable Object's
// one send() fails once per object for orders whose id starts with "sendfail-", as a crash
// or a queue outage between recording a delivery and enqueuing it would.
import { Delivery as Base } from "../../examples/intake/src/index.js";

export { default } from "../../examples/intake/src/index.js";

export class Delivery extends Base {
  #failed = false;

  async send(message) {
    if (!this.#failed && String(message.event?.order?.id).startsWith("sendfail-")) {
      this.#failed = true;
      throw new Error("injected fault: the queue refused the message");
    }
    return super.send(message);
  }
}
