// Counts the prompt tokens of request bodies kept by `ContextGrowth --bodies DIR` with a real
// tokenizer (OpenAI's o200k_base, from the npm package gpt-tokenizer), and compares them with
// the runtime's estimate of a third of a token per character. See docs/BENCHMARKS.md, section 4.
//
//   npm install --prefix /tmp/tok gpt-tokenizer@2
//   NODE_PATH=/tmp/tok/node_modules node codepilot-bench/count-tokens.mjs DIR
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { encode } = require("gpt-tokenizer/cjs/encoding/o200k_base");

const dir = process.argv[2];
if (!dir) {
  console.error("usage: count-tokens.mjs DIR");
  process.exit(2);
}
const files = readdirSync(dir).filter((f) => /^request-\d+\.json$/.test(f))
  .sort((a, b) => parseInt(a.slice(8)) - parseInt(b.slice(8)));
let tokens = 0;
let chars = 0;
const errors = [];
for (const file of files) {
  const body = JSON.parse(readFileSync(join(dir, file), "utf8"));
  let t = 0;
  let c = 0;
  for (const message of body.messages) {
    t += encode(message.content).length;
    c += message.content.length;
  }
  tokens += t;
  chars += c;
  errors.push((c / 3 - t) / t);
}
errors.sort((a, b) => a - b);
const pct = (x) => (100 * x).toFixed(1) + "%";
console.log(`${files.length} requests: ${tokens} tokens (o200k_base), ${chars} chars,`
  + ` ${(chars / tokens).toFixed(2)} chars per token`);
console.log(`estimate chars/3 vs real, per request: median ${pct(errors[errors.length >> 1])},`
  + ` min ${pct(errors[0])}, max ${pct(errors[errors.length - 1])}; whole run`
  + ` ${pct((chars / 3 - tokens) / tokens)}`);
