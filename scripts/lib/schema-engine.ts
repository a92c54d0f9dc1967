// Loads Prisma's schema engine compiled to WebAssembly. The package imports its .wasm as an ES
// module, which Node cannot do without a flag, so we instantiate it ourselves.
import fs from "node:fs";
import { createRequire } from "node:module";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";

const require = createRequire(import.meta.url);

export async function loadSchemaEngine(): Promise<typeof bg> {
  const wasmPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg").replace(/\.js$/, ".wasm");
  const bytes = fs.readFileSync(wasmPath);
  const module = await WebAssembly.compile(bytes);
  const imports: WebAssembly.Imports = { "./schema_engine_bg.js": bg as unknown as WebAssembly.ModuleImports };
  const instance = await WebAssembly.instantiate(module, imports);
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return bg;
}
