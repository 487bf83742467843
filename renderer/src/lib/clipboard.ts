/**
 * Puts text on the clipboard. The async Clipboard API needs a secure context and the page's
 * focus; where it refuses (an embedded or unfocused page), a selected hidden textarea and the
 * copy command do it instead.
 */
/** Copies the text, then says so for a moment: `flag(true)`, and `flag(false)` 1.2 s later (a button's "copied"). */
export async function copyAndFlag(text: string, flag: (on: boolean) => void): Promise<void> {
  await copyText(text);
  flag(true);
  setTimeout(() => flag(false), 1200);
}

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
