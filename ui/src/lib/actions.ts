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
