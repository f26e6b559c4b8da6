// Zod compiles fast object parsers with `new Function` when it may. The dashboard's CSP allows
// no eval, and zod's probe for it is reported as a violation even though zod then falls back,
// so it is told up front not to try. Zod reads the setting when a schema is created, which is
// when the shared schema modules load: every module that imports a zod schema at run time
// (only staff pages; the customer's use lib/frames.ts) imports this file first.
import { config } from "zod/v4/core";

config({ jitless: true });
