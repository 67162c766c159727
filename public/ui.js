// Small enhancements for the design system's menus (src/views/ui/menu.tsx); everything works without them.
// Escape closes an open menu and returns focus to its button; a click or focus outside closes it.
// Delegated from document, so menus in pages that htmx swaps in are covered too.
(() => {
  const openMenus = () => document.querySelectorAll("details.menu[open]");
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const menu = event.target instanceof Element ? event.target.closest("details.menu[open]") : null;
    if (!menu) return;
    menu.open = false;
    menu.querySelector("summary")?.focus();
  });
  const closeOutside = (event) => {
    for (const menu of openMenus()) if (!menu.contains(event.target)) menu.open = false;
  };
  document.addEventListener("click", closeOutside);
  document.addEventListener("focusin", closeOutside);
})();
