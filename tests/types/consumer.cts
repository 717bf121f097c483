// A CommonJS consumer (module nodenext): require() of the ES module package, typed the same.
import orderhook = require("orderhook");
import inline = require("orderhook/inline");

const result: orderhook.ParseResult = orderhook.parse('{"type":"order.paid","data":{}}');
const ready: Promise<void> = inline.ready;
orderhook.initSync(new Uint8Array(0));
console.log(result.ok, ready);
