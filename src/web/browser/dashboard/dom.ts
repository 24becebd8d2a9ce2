/**
 * A tiny element builder: text is always set as text (never parsed as HTML), attributes are set
 * one by one, so nothing a client typed can become markup and the strict CSP never sees inline code.
 */
type Child = Node | string | null | undefined | false;
type Attributes = Record<string, string | number | boolean | null | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Array<Child | Child[]>): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

/** Replaces `parent`'s content, keeping keyboard focus on the element with the same data-key if it is still there. */
export function replaceKeepingFocus(parent: Element, ...children: Node[]): void {
  const focused = document.activeElement instanceof HTMLElement && parent.contains(document.activeElement) ? document.activeElement.dataset['key'] : undefined;
  parent.replaceChildren(...children);
  if (focused) parent.querySelector<HTMLElement>(`[data-key="${CSS.escape(focused)}"]`)?.focus();
}
