// Sizing and placing elements through the CSSOM, which a strict CSP allows,
// instead of style attributes, which it blocks.
export function heightPx(node: HTMLElement, px: number) {
  node.style.height = `${px}px`;
  return {
    update(next: number) {
      node.style.height = `${next}px`;
    },
  };
}

/** Remembers what had focus when a dialog opened and gives focus back when it
 *  goes, as a native dialog's close() would (ours are removed, not closed). */
export function returnFocusLater(): () => void {
  const before = document.activeElement as HTMLElement | null;
  return () => {
    if (before && before.isConnected && typeof before.focus === "function") before.focus();
  };
}
