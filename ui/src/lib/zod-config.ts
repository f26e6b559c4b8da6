// Zod compiles fast object parsers with `new Function` when it may. The dashboard's CSP allows
// no eval, and zod's probe for it is reported as a violation even though zod then falls back,
// so it is told up front not to try. Imported first by main.tsx: zod reads the setting when a
// schema is created, which is when the shared schema modules load.
import { z } from "zod";

z.config({ jitless: true });
