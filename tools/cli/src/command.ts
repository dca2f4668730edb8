import type { LoadedLab } from '@homelab/kit';

/** One option, declared once: parsing, the typed value and `--help` all come from it. */
export interface OptionDecl {
  readonly type: 'boolean' | 'string';
  readonly description: string;
  readonly short?: string;
  readonly multiple?: boolean;
  /** What a string option's value is called in help (e.g. REF, SECONDS). */
  readonly value?: string;
}

export type OptionDecls = Readonly<Record<string, OptionDecl>>;

/** The parsed value of each declared option: booleans are false when absent, strings undefined. */
export type OptionValues<O extends OptionDecls> = {
  readonly [K in keyof O]: O[K]['type'] extends 'boolean' ? boolean : O[K]['multiple'] extends true ? string[] : string | undefined;
};

export interface CommandDef<O extends OptionDecls> {
  readonly summary: string;
  /** The positional arguments in usage form, e.g. `<host>` or `[host...]`. */
  readonly args?: string;
  readonly options: O;
  /** At least one full command line a person can copy. */
  readonly examples: readonly [string, ...string[]];
  run(loaded: LoadedLab, positionals: string[], values: OptionValues<O>): Promise<number>;
}

/** A command with its option types erased, for the table of commands. */
export interface Command {
  readonly summary: string;
  readonly args: string;
  readonly options: OptionDecls;
  readonly examples: readonly string[];
  run(loaded: LoadedLab, positionals: string[], values: Record<string, unknown>): Promise<number>;
}

/** Declares a command; its `run` gets values typed from the option declarations. */
export function defineCommand<const O extends OptionDecls>(def: CommandDef<O>): Command {
  return {
    summary: def.summary,
    args: def.args ?? '',
    options: def.options,
    examples: def.examples,
    run: (loaded, positionals, values) => {
      const typed: Record<string, unknown> = { ...values };
      for (const [name, decl] of Object.entries(def.options)) {
        if (decl.type === 'boolean' && typed[name] === undefined) typed[name] = false;
      }
      return def.run(loaded, positionals, typed as OptionValues<O>);
    },
  };
}

/** Every command answers --help; it is not part of any declaration. */
export const HELP_OPTION: OptionDecl = { type: 'boolean', short: 'h', description: 'show this help' };
