/**
 * Gives a list the keyboard when its view is shown (so that the arrow keys and Enter work at
 * once), unless the user is in a text box or a selector already.
 */
/** Whether a key event is typing into a text box (where keys are characters, not commands). */
export function isTyping(e: Event): boolean {
  const t = e.target as HTMLElement;
  return t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable;
}

export function takeKeyboard(list: { focus(options?: FocusOptions): void }): void {
  const at = document.activeElement;
  if (at instanceof HTMLInputElement || at instanceof HTMLSelectElement || at instanceof HTMLTextAreaElement) return;
  list.focus({ preventScroll: true });
}
