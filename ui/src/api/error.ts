/** Every failure the UI can see, from any command, as one class. */
export type ErrorKind =
  | "invalid"
  | "not_found"
  | "database_unusable"
  | "read_only"
  | "busy"
  | "internal"
  | "io"
  | "rejected"
  | "cancelled"
  | "not_granted"
  | "unknown";

const KINDS: readonly ErrorKind[] = [
  "invalid",
  "not_found",
  "database_unusable",
  "read_only",
  "busy",
  "internal",
  "io",
  "rejected",
  "cancelled",
  "not_granted",
  "unknown",
];

export class AppError extends Error {
  readonly kind: ErrorKind;
  readonly field: string | undefined;

  constructor(kind: ErrorKind, message: string, field?: string) {
    super(message);
    this.name = "AppError";
    this.kind = kind;
    this.field = field;
  }

  /** Turns whatever a rejected command gave us into an AppError. */
  static from(raw: unknown): AppError {
    if (raw instanceof AppError) return raw;
    if (raw && typeof raw === "object") {
      const o = raw as Record<string, unknown>;
      const kind = typeof o.kind === "string" && (KINDS as readonly string[]).includes(o.kind) ? (o.kind as ErrorKind) : "unknown";
      const message =
        typeof o.message === "string" && o.message !== ""
          ? o.message
          : raw instanceof Error
            ? raw.message
            : "Something went wrong";
      const field = typeof o.field === "string" && o.field !== "" ? o.field : undefined;
      return new AppError(kind, message, field);
    }
    if (typeof raw === "string" && raw !== "") return new AppError("unknown", raw);
    return new AppError("unknown", "Something went wrong");
  }
}
