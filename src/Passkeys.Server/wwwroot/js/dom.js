// A tiny element builder for the pages' lists (no innerHTML: text stays text).

/** Creates an element with properties and children. */
export function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}
