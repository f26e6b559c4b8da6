// What every role gives its client process (bench/client.ts).
/** A role once set up (sockets open, connections ready): `run` starts at the shared instant. */
export type RoleInstance = {
  /** Plays the role from `at` (shared clock); resolves with its report, by itself or after `stop()`. */
  run(at: number): Promise<unknown>;
  /** Open-ended roles: finish now and report. */
  stop?(): void;
  /** Roles driven step by step by the parent (costs). */
  command?(body: any): Promise<unknown>;
};
