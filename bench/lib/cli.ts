// What the bench's and the soak's command lines share: flags parsed or the help shown, and the
// system's output kept quiet (the last 400 lines kept for a failure report) unless --log.
import { UsageError } from "./options.ts";

/** The parsed flags; prints the help and exits on --help (0) or a bad flag (2). */
export function flagsOrExit<T extends { help?: boolean; log?: boolean }>(
  parse: (argv: string[]) => T,
  help: () => string,
  argv: string[],
): T {
  let options: T;
  try {
    options = parse(argv);
  } catch (err) {
    if (!(err instanceof UsageError) && !(err instanceof TypeError)) throw err;
    console.error(`${err.message}\n\n${help()}`);
    process.exit(2);
  }
  if (options.help) {
    console.log(help());
    process.exit(0);
  }
  // wrangler's own warnings (the local-only Durable Object bindings of the demo seeder) would
  // bury the progress lines; --log shows everything.
  if (!options.log) process.env.WRANGLER_LOG ??= "error";
  return options;
}

/** Progress lines always; the system's own output only with --log, its tail kept either way. */
export function systemOutput(verbose: boolean) {
  const systemLog: string[] = [];
  return {
    progress: (line: string) => console.log(line),
    systemLog,
    log: (line: string) => {
      if (verbose) console.log(line);
      systemLog.push(line);
      if (systemLog.length > 400) systemLog.shift();
    },
  };
}
