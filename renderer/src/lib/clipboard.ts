/**
 * Puts text on the clipboard. The async Clipboard API needs a secure context and the page's
 * focus; where it refuses (an embedded or unfocused page), a selected hidden textarea and the
 * copy command do it instead.
 */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const ta = document.createElement('textarea');
    ta.value = text;
    document.body.append(ta);
    ta.select();
    document.execCommand('copy');
    ta.remove();
  }
}
