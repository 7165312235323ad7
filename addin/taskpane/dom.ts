/** Small DOM helpers for the pane (no framework). */

/** The element with this id; a missing one is a bug in taskpane.html, so fail loudly. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`taskpane.html has no element #${id}`);
  return element as T;
}

/** Creates an element with attributes and children (strings become text, never HTML). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | boolean | undefined> = {},
  ...children: Array<Node | string | undefined>
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name === 'className') element.className = String(value);
    else element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) if (child !== undefined) element.append(child);
  return element;
}

export function show(element: HTMLElement, visible: boolean): void {
  element.hidden = !visible;
}

/** The value of the checked radio button of a group. */
export function radioValue(name: string): string {
  const checked = document.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`);
  return checked?.value ?? '';
}

/** Calls `fn` once input has paused for `ms` milliseconds. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): ((...args: A) => void) & { cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const call = (...args: A): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  return Object.assign(call, {
    /** Drops a call still waiting (its caller is about to do the work at once). */
    cancel: (): void => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  });
}

/** The value of a Fluent radio group (fluent-radio-group) by id. */
export function groupValue(id: string): string {
  return (byId(id) as unknown as { value: string | null }).value ?? '';
}

/** Checks the radio of a Fluent radio group with this value. */
export function setGroupValue(id: string, value: string): void {
  (byId(id) as unknown as { value: string }).value = value;
}
