/**
 * Start-up milestones as performance marks (`annals:<name>`), each set once, so
 * `make measure` can say where the time to the first frame goes.
 */
export function markOnce(name: string): void {
  const full = `annals:${name}`;
  if (performance.getEntriesByName(full, "mark").length === 0) performance.mark(full);
}
