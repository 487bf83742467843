// Svelte 5 with runes everywhere; component CSS is emitted as files (no inline <style> at runtime).
export default {
  compilerOptions: { runes: true, css: 'external' },
};
