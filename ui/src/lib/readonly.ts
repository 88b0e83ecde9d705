// What the window says when the database opened read-only: why, and what the
// user would change to write it. The shell's `app_info` says why
// (`WriteProtection`, from the core); nothing here decides it.
import type { WriteProtection } from "../bindings/WriteProtection";

/** Why the database cannot be changed, and what to do about it. */
export const READ_ONLY_REASONS: Record<WriteProtection, { why: string; fix: string }> = {
  file: {
    why: "the database file is write-protected",
    fix: "allow writing to the file",
  },
  folder: {
    why: "the folder that holds the database is write-protected",
    fix: "allow writing to its folder",
  },
  system: {
    why: "the system does not let Annals write to it (another user’s file or folder, or a read-only disk)",
    fix: "copy it somewhere you may write",
  },
};

/** The id of the notice, which disabled controls point to for why. */
export const READ_ONLY_NOTICE_ID = "read-only-notice";

/** The tooltip of a control that would change the database. */
export function readOnlyTitle(action: string): string {
  return `${action}: not available, the database is open read-only`;
}

/** The toast when a key or a menu asks for a change. */
export const READ_ONLY_REFUSAL = "This database is open read-only: you can browse it, but nothing can be changed";
