/**
 * A Svelte action for a menu's root element: a press anywhere outside it, or Esc inside it, calls
 * `close`, which says whether the menu was open (Esc is then kept from the views' own handlers).
 */
export function dismissable(node: HTMLElement, close: () => boolean): { update: (c: () => boolean) => void; destroy: () => void } {
  let fn = close;
  const outside = (e: PointerEvent): void => {
    if (!node.contains(e.target as Node)) fn();
  };
  const key = (e: KeyboardEvent): void => {
    if (e.key === 'Escape' && fn()) e.stopPropagation();
  };
  window.addEventListener('pointerdown', outside);
  node.addEventListener('keydown', key);
  return {
    update: (c) => (fn = c),
    destroy: () => {
      window.removeEventListener('pointerdown', outside);
      node.removeEventListener('keydown', key);
    },
  };
}
